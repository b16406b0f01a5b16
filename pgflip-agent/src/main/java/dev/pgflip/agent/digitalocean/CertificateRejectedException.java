package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Optional;

/**
 * The TLS handshake with the API failed on the certificate: not signed by a trusted CA, issued for another address,
 * or expired. Never retried (it does not heal within a deadline, and it may be someone in the middle): the operator
 * must fix {@code digitalocean.ca_file} or {@code digitalocean.api_url}. The token was not sent.
 */
public final class CertificateRejectedException extends PgflipException {

    private CertificateRejectedException(String message, Throwable cause) {
        super(ExitCode.USAGE, message, cause);
    }

    /** The rejection {@code e} stands for, if the handshake failed on the server's certificate. */
    static Optional<CertificateRejectedException> from(IOException e, String hostAndPort, ApiTrust trust) {
        CertificateException certificate = null;
        boolean untrusted = false;
        boolean expired = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException && certificate == null) {
                certificate = (CertificateException) t;
            }
            untrusted |= t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
            expired |= t instanceof CertificateExpiredException || t instanceof CertPathValidatorException
                    && ((CertPathValidatorException) t).getReason() == CertPathValidatorException.BasicReason.EXPIRED;
        }
        if (certificate == null) {
            return Optional.empty();
        }
        String prefix = "the API at " + hostAndPort + " presented a certificate ";
        String message;
        if (expired) {
            message = prefix + "that has expired: renew the server's certificate (or check this machine's clock)";
        } else if (untrusted) {
            message = prefix + "not signed by a CA trusted here (" + trust.describe() + "): set digitalocean.ca_file to"
                    + " the PEM file of the CA that signed it (for the lab: <lab dir>/tls/ca.pem)";
        } else {
            // The JDK's host name check: "No subject alternative names matching IP address ... found".
            message = prefix + "that does not match the address in digitalocean.api_url (" + certificate.getMessage()
                    + "): use the host name or address the certificate was issued for";
        }
        return Optional.of(new CertificateRejectedException(message, e));
    }
}
