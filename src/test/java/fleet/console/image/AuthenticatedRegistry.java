package fleet.console.image;

import fleet.console.sandbox.process.ChildProcess;
import fleet.console.sandbox.process.FreePorts;
import fleet.console.sandbox.process.Probes;
import fleet.console.sandbox.registry.RegistryProcess;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * docker-registry as a team's registry is run: HTTPS (here with a self-signed certificate, so the
 * profile marks it insecure) and htpasswd logins, one user with a bcrypt password. Jib sends no
 * password over plain HTTP, which is why the registry speaks TLS.
 */
final class AuthenticatedRegistry implements AutoCloseable {

    static final String USER = "fleet-operator";

    private final ChildProcess process;
    private final int port;

    private AuthenticatedRegistry(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static AuthenticatedRegistry start(Path dir, String password) throws Exception {
        Path binary = RegistryProcess.findBinary().orElseThrow();
        Files.createDirectories(dir.resolve("storage"));
        writeCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.writeString(dir.resolve("htpasswd"), USER + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10)
                + "\n", StandardCharsets.UTF_8);
        int port = FreePorts.loopback();
        Files.writeString(dir.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: \"" + dir.resolve("storage") + "\"",
                "auth:",
                "  htpasswd:",
                "    realm: fleet-test",
                "    path: \"" + dir.resolve("htpasswd") + "\"",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  tls:",
                "    certificate: \"" + dir.resolve("cert.pem") + "\"",
                "    key: \"" + dir.resolve("key.pem") + "\"",
                ""), StandardCharsets.UTF_8);
        ChildProcess process = ChildProcess.start("docker-registry", List.of(binary.toString(), "serve",
                dir.resolve("config.yml").toString()), dir);
        process.awaitReady(() -> Probes.acceptsConnections(port), "accepting TLS connections on " + port, Duration.ofSeconds(15));
        return new AuthenticatedRegistry(process, port);
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }

    private static void writeCertificate(Path certificate, Path key) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
        pem(certificate, "CERTIFICATE", der);
        pem(key, "PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    private static void pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }
}
