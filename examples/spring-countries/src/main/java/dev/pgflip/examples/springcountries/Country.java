package dev.pgflip.examples.springcountries;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The seed's Sequelize model {@code Country} ({@code timestamps: false}): an auto-increment key, a name and the EU
 * flag, in the table {@code countries} that Sequelize's pluralisation picks.
 */
@Entity
@Table(name = "countries")
public class Country {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "country_id")
    private Integer countryId;

    @Column(name = "name")
    private String name;

    @Column(name = "is_eu_member")
    private Boolean isEuMember;

    protected Country() {
        // for Hibernate
    }

    public Country(String name, boolean isEuMember) {
        this.name = name;
        this.isEuMember = isEuMember;
    }

    public Integer countryId() {
        return countryId;
    }

    public String name() {
        return name;
    }

    public Boolean isEuMember() {
        return isEuMember;
    }
}
