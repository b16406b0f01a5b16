package dev.pgflip.examples.countries;

import dev.pgflip.jdbc.ClusterDataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * The seed's {@code index.js} with Hibernate on a {@link ClusterDataSource}: authenticate, {@code sync({force: true})},
 * insert Portugal, find all countries, close. Each step prints which node served it, asked on the very connection
 * the step used.
 */
public final class CountriesApp {
    private final CountriesSettings settings;
    private final PrintStream out;

    public CountriesApp(CountriesSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws SQLException {
        try (ClusterDataSource dataSource = settings.dataSource()) {
            authenticate(dataSource);
            try (SessionFactory sessionFactory = createTable(dataSource)) {
                insertCountry(sessionFactory);
                findAllCountries(sessionFactory);
            }
        }
    }

    /** Sequelize's {@code authenticate()}: {@code SELECT 1+1} on a write connection. */
    private void authenticate(ClusterDataSource dataSource) {
        out.println("Checking database connection...");
        try (Connection connection = dataSource.getConnection(); Statement st = connection.createStatement()) {
            st.execute("SELECT 1+1 AS result");
            out.println("Connection has been established successfully, served by " + describe(ServingNode.ask(connection)));
        } catch (SQLException e) {
            throw new IllegalStateException("Unable to connect to the database: " + e.getMessage(), e);
        }
    }

    /**
     * Bootstraps Hibernate on the data source (dialect detected from the server) and drops and creates the schema,
     * like {@code sync({force: true})}. The DDL runs on a connection handed to Hibernate, so that the same connection
     * can then say where it ran.
     */
    private SessionFactory createTable(ClusterDataSource dataSource) throws SQLException {
        try (Connection ddl = dataSource.getConnection()) {
            SessionFactory sessionFactory = new HibernatePersistenceConfiguration("countries")
                    .managedClass(Country.class)
                    .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                    .property(JdbcSettings.JAKARTA_HBM2DDL_CONNECTION, ddl)
                    .property(SchemaToolingSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "drop-and-create")
                    .createEntityManagerFactory();
            try {
                out.println("create table countries, served by " + describe(ServingNode.ask(ddl)));
                return sessionFactory;
            } catch (SQLException | RuntimeException e) {
                sessionFactory.close();
                throw e;
            }
        }
    }

    private record Inserted(Country country, ServingNode node) {}

    /** A write transaction: through the floating IP, on the primary. */
    private void insertCountry(SessionFactory sessionFactory) {
        Inserted inserted = sessionFactory.fromTransaction(session -> {
            Country pt = new Country("Portugal", true);
            session.persist(pt);   // IDENTITY: the INSERT runs now, on this transaction's connection
            return new Inserted(pt, session.doReturningWork(ServingNode::ask));
        });
        out.println("pt created - country_id: " + inserted.country().countryId() + ", served by "
                + describe(inserted.node()));
    }

    /**
     * A read-only session (Hibernate 7.2+): its entities are read-only ({@code setDefaultReadOnly(true)}) and Hibernate
     * calls {@code setReadOnly(true)} on each JDBC connection right after obtaining it, before any statement, which is
     * what makes pgflip borrow it from a standby. {@code setDefaultReadOnly(true)} on an ordinary session alone would
     * not: it never touches the connection, so the reads would go to the writer.
     */
    private void findAllCountries(SessionFactory sessionFactory) {
        try (Session session = sessionFactory.withOptions().readOnly(true).openSession()) {
            Transaction tx = session.beginTransaction();
            List<Country> countries = session.createSelectionQuery("from Country", Country.class).getResultList();
            ServingNode node = session.doReturningWork(ServingNode::ask);
            tx.commit();
            out.println("All countries: " + countries.stream().map(Country::toJson)
                    .collect(Collectors.joining(",", "[", "]")) + ", served by " + describe(node));
        }
    }

    private String describe(ServingNode node) {
        return node.describe(settings.writeHost());
    }
}
