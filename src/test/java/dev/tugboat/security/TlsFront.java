package dev.tugboat.security;

import dev.tugboat.testing.SelfSigned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS front for a test's plain-HTTP API, on a loopback port of its own with a self-signed
 * certificate: kubectl (client-go) sends a bearer token only over TLS, so a test of tokens with
 * kubectl needs one until the API serves TLS itself (issue 24, point 1). Each connection is relayed
 * byte for byte to the API; when either side ends, both are closed.
 */
final class TlsFront implements AutoCloseable {
  private final SSLServerSocket server;
  private final int backend;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tls-front");
    t.setDaemon(true);
    return t;
  });

  TlsFront(int backendPort) throws Exception {
    this.backend = backendPort;
    SelfSigned cert = SelfSigned.rsa("localhost");
    String pem = cert.pkcs8().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    char[] password = "test".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("api", key, password, new Certificate[] {cert.x509()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  /** {@code https://127.0.0.1:<port>}. */
  String url() {
    return "https://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.submit(() -> relay(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket client) {
    try (client; Socket api = new Socket(InetAddress.getLoopbackAddress(), backend)) {
      threads.submit(() -> copy(api.getInputStream(), client.getOutputStream(), client, api));
      copy(client.getInputStream(), api.getOutputStream(), client, api);
    } catch (IOException e) {
      // a client that hung up
    }
  }

  private static Void copy(InputStream in, OutputStream out, Socket a, Socket b) {
    byte[] buffer = new byte[16384];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      try {
        a.close();
        b.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
