package dev.pgflip.examples.springcountries;

import dev.pgflip.spring.FailoverTransactions;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The seed's two operations, each in one transaction that also asks which node it ran on. */
@Service
public class CountryService {
    private final CountryRepository countries;
    private final ServingNodes servingNodes;
    private final FailoverTransactions transactions;

    public CountryService(CountryRepository countries, ServingNodes servingNodes, FailoverTransactions transactions) {
        this.countries = countries;
        this.servingNodes = servingNodes;
        this.transactions = transactions;
    }

    /**
     * Sequelize's {@code Country.findAll()}, which it sends to a read replica. A read-only transaction: Spring's JPA
     * transaction manager calls {@code setReadOnly(true)} on the connection before the first statement, which is what
     * makes pgflip borrow it from a standby.
     */
    @Transactional(readOnly = true)
    public Served<List<Country>> findAll() {
        return new Served<>(countries.findAll(Sort.by("countryId")), servingNodes.current());
    }

    /**
     * Sequelize's {@code Country.create(...)}: a write transaction, on the primary through the floating IP. If the
     * primary dies before COMMIT, the insert runs again on the promoted standby once the floating IP leads there
     * (within {@code pgflip.retry-deadline}); a connection lost during COMMIT is reported, not repeated.
     */
    public Served<Country> create(String name, boolean isEuMember) {
        return transactions.inTransaction(status -> {
            Country saved = countries.save(new Country(name, isEuMember));
            return new Served<>(saved, servingNodes.current());
        });
    }
}
