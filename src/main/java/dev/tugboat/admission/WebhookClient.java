package dev.tugboat.admission;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Posts AdmissionReviews over HTTPS with the JDK's HttpClient, trusting only the webhook's
 * {@code caBundle} (or, without one, the cluster CA; without that, the JDK's roots), and checking
 * the certificate is for the name the webhook is called by: its URL's host, or
 * {@code <service>.<namespace>.svc} for a Service (reached at an endpoint's address, which the
 * certificate does not name; the JDK's own check would compare that address).
 */
final class WebhookClient {
  /** A cache bound: configurations are few; a churn of CAs only rebuilds clients. */
  private static final int MAX_CLIENTS = 64;
  private final String clusterCaPem;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  /** {@code clusterCaPem}: the cluster CA, trusted for webhooks without a caBundle (null: none). */
  WebhookClient(String clusterCaPem) {
    this.clusterCaPem = clusterCaPem;
  }

  /**
   * Posts {@code body} to {@code uri}; the certificate must be for {@code serverName}.
   * Completes with the response body of a 200, or fails saying why.
   */
  CompletableFuture<String> post(URI uri, String serverName, String caBundle, byte[] body, Duration timeout) {
    HttpClient client;
    try {
      client = client(caBundle, serverName, timeout);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .thenCompose(response -> response.statusCode() == 200 ? CompletableFuture.completedFuture(response.body())
            : CompletableFuture.failedFuture(new IllegalStateException("the server answered HTTP "
                + response.statusCode())));
  }

  private HttpClient client(String caBundle, String serverName, Duration timeout) throws Exception {
    String key = (caBundle == null ? "" : caBundle) + "|" + serverName + "|" + timeout.toMillis();
    HttpClient client = clients.get(key);
    if (client != null) return client;
    if (clients.size() >= MAX_CLIENTS) clients.clear();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new NamedServerTrust(trustOf(caBundle), serverName)}, null);
    client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    clients.put(key, client);
    return client;
  }

  private X509TrustManager trustOf(String caBundle) throws Exception {
    byte[] pem = caBundle != null && !caBundle.isEmpty() ? Base64.getMimeDecoder().decode(caBundle)
        : clusterCaPem != null ? clusterCaPem.getBytes(StandardCharsets.US_ASCII) : null;
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (pem == null) {
      factory.init((KeyStore) null); // Kubernetes: no caBundle, the system's roots
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      factory.init(store);
    }
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) return x;
    }
    throw new IllegalStateException("no X.509 trust manager");
  }

  /**
   * The chain checked against the CA, the leaf against the webhook's name (not the address
   * dialled). An X509ExtendedTrustManager, so JSSE leaves the name check to it.
   */
  private static final class NamedServerTrust extends X509ExtendedTrustManager {
    private final X509TrustManager chain;
    private final String serverName;

    NamedServerTrust(X509TrustManager chain, String serverName) {
      this.chain = chain;
      this.serverName = serverName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
      chain.checkServerTrusted(certs, authType);
      if (certs.length == 0 || !ServerNames.matches(certs[0], serverName)) {
        throw new CertificateException("x509: certificate is not valid for " + serverName);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
      checkServerTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
      throw new CertificateException("a webhook client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
      checkClientTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
      checkClientTrusted(certs, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }
}
