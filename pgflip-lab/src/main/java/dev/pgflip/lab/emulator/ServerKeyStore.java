package dev.pgflip.lab.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The API's TLS identity from a PKCS#12 key store (private key plus certificate chain) whose password is in a file,
 * as {@code lab up} makes them ({@code tls/private/server.p12}, {@code tls/private/server.pass}).
 */
public final class ServerKeyStore {
    private ServerKeyStore() {}

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLContext sslContext(Path keyStore, Path passwordFile) {
        char[] password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key store password file " + passwordFile + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the TLS key store " + keyStore + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }
}
