package fleet.console.image;

import fleet.console.image.ImageBuildException.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few calls of the registry HTTP API (distribution's v2) the console makes beside Jib, each
 * answering a question Jib would only answer with a failure half way through: does the registry
 * answer, does it take our login, does the base image exist, which digest does a tag resolve to
 * (before a push, so that a live tag is not overwritten; after it, to verify the push). Logs in
 * with HTTP Basic or with a bearer token from the registry's token service, as its 401 asks.
 * Plain HTTP and unverified certificates only for a registry the profile marks insecure.
 */
public final class RegistryApi {

    /** Every manifest type a pull accepts; a registry answers a request naming none as if from a schema-1 client. */
    static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final String registry;
    private final boolean insecure;
    private final Optional<RegistryLogin> login;
    private final HttpClient http;
    private String scheme;
    private String authorization;

    /**
     * @param registry host[:port] of the registry
     * @param insecure whether plain HTTP or an unverified certificate is acceptable (the profile's {@code insecure: true})
     * @param login    the login to give when the registry asks for one
     */
    public RegistryApi(String registry, boolean insecure, Optional<RegistryLogin> login) {
        this.registry = registry;
        this.insecure = insecure;
        this.login = login;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (insecure) {
            builder.sslContext(trustingEveryCertificate());
        }
        this.http = builder.build();
    }

    public String registry() {
        return registry;
    }

    /**
     * Proves the registry answers and accepts our login for the repository ({@code push}: for
     * writing too). Names the cause when not: unreachable, not HTTPS, no login, login refused.
     */
    public synchronized void checkAccess(String repository, boolean push) throws ImageBuildException {
        HttpResponse<String> response = send(repository, push, () -> base().resolve("/v2/"), "GET");
        if (response.statusCode() != 200) {
            throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "Registry " + registry + " answered "
                    + response.statusCode() + " to GET /v2/, not a registry's 200: check the registry host in the profile"
                    + " (" + abbreviated(response.body()) + ")");
        }
    }

    /**
     * The digest a tag (or digest) of a repository resolves to; empty when the registry has no
     * such manifest.
     */
    public synchronized Optional<String> manifestDigest(String repository, String reference) throws ImageBuildException {
        String path = "/v2/" + repository + "/manifests/" + reference;
        HttpResponse<String> response = send(repository, false, () -> base().resolve(path), "GET");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new ImageBuildException(Problem.PUSH_FAILED, "Registry " + registry + " answered "
                    + response.statusCode() + " to GET " + path + " (" + abbreviated(response.body()) + ")");
        }
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent()) {
            return header;
        }
        // Not every registry sends the header; the digest of a manifest is the hash of its bytes.
        try {
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            return Optional.of("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The tags of a repository; empty when it does not exist. */
    public synchronized List<String> tags(String repository) throws ImageBuildException {
        String path = "/v2/" + repository + "/tags/list";
        HttpResponse<String> response = send(repository, false, () -> base().resolve(path), "GET");
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new ImageBuildException(Problem.PUSH_FAILED, "Registry " + registry + " answered "
                    + response.statusCode() + " to GET " + path + " (" + abbreviated(response.body()) + ")");
        }
        List<String> tags = new ArrayList<>();
        try {
            for (JsonNode tag : JsonMapper.shared().readTree(response.body()).path("tags")) {
                tags.add(tag.asString());
            }
        } catch (JacksonException e) {
            throw new ImageBuildException(Problem.PUSH_FAILED, "Registry " + registry + " answered GET " + path
                    + " with something other than a tag list");
        }
        return List.copyOf(tags);
    }

    private interface Target {
        URI uri() throws ImageBuildException;
    }

    /** Sends, logging in when the registry answers 401, as its challenge says. */
    private HttpResponse<String> send(String repository, boolean push, Target target, String method)
            throws ImageBuildException {
        HttpResponse<String> response = exchange(target.uri(), method, authorization);
        if (response.statusCode() != 401) {
            return forbidden(response, repository, push);
        }
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        authorization = authorize(challenge, repository, push);
        HttpResponse<String> again = exchange(target.uri(), method, authorization);
        if (again.statusCode() == 401) {
            throw refused(repository);
        }
        return forbidden(again, repository, push);
    }

    private HttpResponse<String> forbidden(HttpResponse<String> response, String repository, boolean push)
            throws ImageBuildException {
        if (response.statusCode() == 403) {
            throw new ImageBuildException(Problem.LOGIN_REFUSED, "Registry " + registry + " does not allow "
                    + login.map(l -> l.username() + " (from " + l.source() + ")").orElse("anonymous access") + " to "
                    + (push ? "push to " : "read ") + repository + ": ask the registry's owner for access, or log in as"
                    + " another user (podman login " + registry + ")");
        }
        return response;
    }

    private String authorize(String challenge, String repository, boolean push) throws ImageBuildException {
        String lower = challenge.toLowerCase(Locale.ROOT);
        if (lower.startsWith("basic")) {
            RegistryLogin given = login.orElseThrow(() -> missing(repository));
            if ("http".equals(scheme)) {
                throw overPlainHttp();
            }
            if (given.identityToken()) {
                throw new ImageBuildException(Problem.LOGIN_REFUSED, "Registry " + registry + " asks for a user and"
                        + " password, but the login found in " + given.source() + " is an identity token: log in with"
                        + " a password (podman login " + registry + ")");
            }
            return "Basic " + Base64.getEncoder().encodeToString((given.username() + ":" + given.secret())
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (lower.startsWith("bearer")) {
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "Registry " + registry + " asks for a"
                        + " token but names no token service (WWW-Authenticate: " + challenge + ")");
            }
            String scope = "repository:" + repository + ":" + (push ? "pull,push" : "pull");
            return "Bearer " + token(realm, params.getOrDefault("service", ""), scope, repository);
        }
        throw new ImageBuildException(Problem.LOGIN_REFUSED, "Registry " + registry + " asks for a login the console"
                + " cannot give (WWW-Authenticate: " + (challenge.isBlank() ? "none" : challenge.split(" ")[0]) + ")");
    }

    /** A token from the registry's token service, for our login or anonymously (public images). */
    private String token(String realm, String service, String scope, String repository) throws ImageBuildException {
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "Registry " + registry
                    + " names a token service that is not a URL: " + realm);
        }
        if (login.isPresent() && "http".equalsIgnoreCase(realmUri.getScheme())) {
            throw overPlainHttp();
        }
        String query = "service=" + encode(service) + "&scope=" + encode(scope);
        HttpResponse<String> response;
        if (login.isPresent() && login.get().identityToken()) {
            String form = "grant_type=refresh_token&client_id=fleet-console&" + query + "&refresh_token="
                    + encode(login.get().secret());
            response = exchange(realmUri, HttpRequest.newBuilder(realmUri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        } else {
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
            login.ifPresent(l -> request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((l.username() + ":" + l.secret()).getBytes(StandardCharsets.UTF_8))));
            response = exchange(uri, request.build());
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw login.isPresent() ? refused(repository) : missing(repository);
        }
        if (response.statusCode() != 200) {
            throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "The token service of " + registry + " ("
                    + realmUri.getHost() + ") answered " + response.statusCode() + ": try again later");
        }
        try {
            JsonNode body = JsonMapper.shared().readTree(response.body());
            String token = body.path("token").asString("");
            if (token.isEmpty()) {
                token = body.path("access_token").asString("");
            }
            if (token.isEmpty()) {
                throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "The token service of " + registry
                        + " answered without a token");
            }
            return token;
        } catch (JacksonException e) {
            throw new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "The token service of " + registry
                    + " answered something other than JSON");
        }
    }

    /** https unless only plain HTTP answers and the registry may be insecure; decided on the first call. */
    private URI base() throws ImageBuildException {
        if (scheme == null) {
            URI https = URI.create("https://" + registry + "/v2/");
            try {
                http.send(HttpRequest.newBuilder(https).timeout(REQUEST_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                scheme = "https";
            } catch (SSLException e) {
                if (!insecure) {
                    throw new ImageBuildException(Problem.REGISTRY_INSECURE, "Registry " + registry + " does not offer"
                            + " HTTPS with a certificate this machine trusts (" + e.getMessage() + "): if it is a lab"
                            + " registry on plain HTTP or with a self-signed certificate, set insecure: true under the"
                            + " profile's registry; otherwise install its CA certificate", e);
                }
                plainHttp(e);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (!insecure) {
                    throw unreachable(https, e);
                }
                plainHttp(e);
            } catch (IOException e) {
                throw unreachable(https, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageBuildException(Problem.CANCELLED, "Interrupted while asking registry " + registry, e);
            }
        }
        return URI.create(scheme + "://" + registry + "/");
    }

    private void plainHttp(Exception httpsFailure) throws ImageBuildException {
        URI http = URI.create("http://" + registry + "/v2/");
        try {
            this.http.send(HttpRequest.newBuilder(http).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            scheme = "http";
        } catch (IOException e) {
            e.addSuppressed(httpsFailure);
            throw unreachable(http, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException(Problem.CANCELLED, "Interrupted while asking registry " + registry, e);
        }
    }

    private HttpResponse<String> exchange(URI uri, String method, String auth) throws ImageBuildException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", MANIFEST_TYPES)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return exchange(uri, request.build());
    }

    private HttpResponse<String> exchange(URI uri, HttpRequest request) throws ImageBuildException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException(Problem.CANCELLED, "Interrupted while asking registry " + registry, e);
        }
    }

    private ImageBuildException unreachable(URI uri, IOException e) {
        String why;
        if (e instanceof UnknownHostException) {
            why = "the host name is unknown: check the registry's host in the profile and your DNS or VPN";
        } else if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            why = "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s: check the network, a VPN or a firewall";
        } else if (e instanceof ConnectException) {
            why = "connection refused: check the host and port, and that the registry is running";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "Registry " + registry + " is unreachable at "
                + uri.getScheme() + "://" + uri.getAuthority() + " (" + why + "). Nothing was pushed.", e);
    }

    /** Jib does not send passwords unencrypted either; saying so first beats its failure half way. */
    private ImageBuildException overPlainHttp() {
        return new ImageBuildException(Problem.REGISTRY_INSECURE, "Registry " + registry + " asks for a login over plain"
                + " HTTP, and the console does not send passwords unencrypted: serve the registry over HTTPS (a"
                + " self-signed certificate is fine with insecure: true in the profile). Nothing was pushed.");
    }

    private ImageBuildException missing(String repository) {
        return new ImageBuildException(Problem.LOGIN_MISSING, "Registry " + registry + " asks for a login to "
                + repository + " and none was found: log in with podman login " + registry + " (or docker login),"
                + " which writes the auth file the console reads. Nothing was pushed.");
    }

    private ImageBuildException refused(String repository) {
        RegistryLogin given = login.orElse(null);
        if (given == null) {
            return missing(repository);
        }
        return new ImageBuildException(Problem.LOGIN_REFUSED, "Registry " + registry + " refused the login of "
                + given.username() + " found in " + given.source() + ": it may have expired or changed; log in again"
                + " with podman login " + registry + ". Nothing was pushed.");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviated(String body) {
        String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /**
     * Accepts any certificate and host name: only for a registry the operator marked insecure (a
     * lab registry with a self-signed certificate). Being an extended trust manager is what keeps
     * the JDK from adding its own host-name check on top.
     */
    private static SSLContext trustingEveryCertificate() {
        X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is missing from this Java runtime", e);
        }
    }
}
