package dev.pgflip.examples.springcountries;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.springframework.stereotype.Component;

/** Asks the current transaction's connection which node it is on; call it inside the transaction to describe. */
@Component
public class ServingNodes {
    private static final String QUERY = "SELECT host(inet_server_addr()), pg_is_in_recovery(),"
            + " CASE WHEN pg_has_role('pg_read_all_settings', 'member') THEN current_setting('data_directory') END";

    @PersistenceContext
    private EntityManager entityManager;

    public ServingNode current() {
        Object[] row = (Object[]) entityManager.createNativeQuery(QUERY).getSingleResult();
        return new ServingNode(ServingNode.nodeName((String) row[2]), (String) row[0], (Boolean) row[1]);
    }
}
