package dev.pgflip.spring;

import org.springframework.transaction.TransactionSystemException;

/**
 * The connection was lost while COMMIT was on its way: the server may or may not have committed, so the unit of work
 * was not run again. Check the outcome (a natural key, an idempotency token) before repeating it.
 */
public final class CommitOutcomeUnknownException extends TransactionSystemException {
    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(Throwable cause) {
        super("pgflip: the connection was lost during COMMIT: the transaction may or may not have committed,"
                + " so it was not run again", cause);
    }
}
