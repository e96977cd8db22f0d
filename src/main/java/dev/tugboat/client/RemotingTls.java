package dev.tugboat.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * The remoting settings of a JVM in a Tugboat cluster whose members speak TLS (the default):
 * Artery's {@code tls-tcp} transport with Pekko's PEM engine on the {@code member} pair of the
 * cluster CA's directory. Members get it from their start; a service joining with
 * {@link TugboatClient} puts it before its own configuration (docs/client.md).
 */
public final class RemotingTls {
  private RemotingTls() {}

  /** The settings for the CA directory {@code pkiDir} (holding ca.crt, member.crt, member.key). */
  public static Config config(Path pkiDir) {
    String engine = "pekko.remote.artery.ssl.rotating-keys-engine.";
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        "pekko.remote.artery.ssl.ssl-engine-provider",
        "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
        engine + "key-file", pkiDir.resolve("member.key").toString(),
        engine + "cert-file", pkiDir.resolve("member.crt").toString(),
        engine + "ca-cert-file", pkiDir.resolve("ca.crt").toString()));
  }
}
