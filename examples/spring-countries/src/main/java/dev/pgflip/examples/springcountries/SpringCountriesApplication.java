package dev.pgflip.examples.springcountries;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The seed's countries app as a Spring Boot service on pgflip: {@code GET /countries} reads from a standby,
 * {@code POST /countries} writes through the floating IP, and both say which node served them. The data source is
 * pgflip-spring-boot-starter's ClusterDataSource, configured in application.yml.
 */
@SpringBootApplication
public class SpringCountriesApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpringCountriesApplication.class, args);
    }
}
