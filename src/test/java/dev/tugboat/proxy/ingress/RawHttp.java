package dev.tugboat.proxy.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP/1.1 over a plain socket, for tests of the ingress: any Host header (the JDK's HttpClient
 * refuses to set one), any bytes at all (the fuzz), and TLS with a chosen SNI name, each request on
 * a fresh connection (so a fresh handshake).
 */
final class RawHttp {
  /** A response: its status (0 when none came), the certificate the server showed (TLS), and its body. */
  record Response(int status, String head, String body, X509Certificate certificate) {}

  private RawHttp() {}

  /** GET {@code path} with {@code Host: host} on {@code 127.0.0.1:port}. */
  static Response get(int port, String host, String path, String... headers) throws IOException {
    return send(port, null, request("GET", host, path, headers));
  }

  /** The same over TLS, the handshake asking for {@code sni} (null: none), trusting whatever the server shows. */
  static Response getTls(int port, String sni, String host, String path) throws IOException {
    return send(port, sni == null ? "" : sni, request("GET", host, path));
  }

  static String request(String method, String host, String path, String... headers) {
    StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    if (host != null) r.append("Host: ").append(host).append("\r\n");
    for (String h : headers) r.append(h).append("\r\n");
    return r.append("Connection: close\r\n\r\n").toString();
  }

  /** Sends {@code raw} as it is and reads the answer until the server closes (or 10 s pass). */
  static Response send(int port, String sni, String raw) throws IOException {
    try (Socket socket = sni == null ? new Socket() : tlsSocket(sni)) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      X509Certificate certificate = null;
      if (socket instanceof SSLSocket ssl) {
        ssl.startHandshake();
        certificate = (X509Certificate) ssl.getSession().getPeerCertificates()[0];
      }
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = readAll(socket.getInputStream());
      int headEnd = answer.indexOf("\r\n\r\n");
      String head = headEnd < 0 ? answer : answer.substring(0, headEnd);
      String body = headEnd < 0 ? "" : answer.substring(headEnd + 4);
      int status = 0;
      if (head.startsWith("HTTP/1.")) {
        try {
          status = Integer.parseInt(head.substring(9, 12));
        } catch (RuntimeException e) {
          status = 0;
        }
      }
      return new Response(status, head, body, certificate);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
        if (bytes.size() > 1 << 20) break;
      }
    } catch (java.net.SocketTimeoutException e) {
      // what came is what there is
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static SSLSocket tlsSocket(String sni) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
      var parameters = socket.getSSLParameters();
      parameters.setServerNames(sni.isEmpty() ? List.of() : List.of(new SNIHostName(sni)));
      socket.setSSLParameters(parameters);
      return socket;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
