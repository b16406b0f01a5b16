package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@link FailoverTransactions} on the application's transaction manager (JPA's or JDBC's), with the data source's
 * retry deadline. After Boot's transaction auto-configuration, so that the transaction manager is known.
 */
@AutoConfiguration(after = {PgflipAutoConfiguration.class, TransactionAutoConfiguration.class})
@ConditionalOnBean(ClusterDataSource.class)
@ConditionalOnSingleCandidate(PlatformTransactionManager.class)
public class PgflipTransactionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public FailoverTransactions failoverTransactions(PlatformTransactionManager transactionManager,
            ClusterDataSource dataSource) {
        return new FailoverTransactions(transactionManager, dataSource.config().retryDeadline());
    }
}
