package dev.tugboat.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 2}, {@code 128Mi}, {@code 1G}, {@code 1e3}). It
 * keeps the text the user wrote, so a manifest round-trips unchanged; {@link #value()} is the number.
 */
@JsonSerialize(using = Quantity.Serializer.class)
@JsonDeserialize(using = Quantity.Deserializer.class)
public record Quantity(String text) {
  private static final Pattern SYNTAX = Pattern.compile("^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(.*)$");
  private static final Pattern EXPONENT = Pattern.compile("^[eE]([+-]?[0-9]+)$");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")), Map.entry("m", new BigDecimal("1e-3")),
      Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")), Map.entry("E", new BigDecimal("1e18")),
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  /**
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static Quantity parse(String text) {
    new Quantity(text).value();
    return new Quantity(text);
  }

  /** The quantity as a number (cpu in cores, memory in bytes). */
  public BigDecimal value() {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("quantities must not be empty");
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    BigDecimal number = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1).endsWith(".")
        ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    BigDecimal factor = SUFFIXES.get(suffix);
    if (factor == null) {
      Matcher e = EXPONENT.matcher(suffix);
      if (!e.matches()) throw new IllegalArgumentException("unable to parse quantity's suffix: \"" + suffix + "\"");
      factor = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(e.group(1)));
    }
    return number.multiply(factor);
  }

  /** In thousandths, rounded up (cpu {@code 500m} is 500). */
  public long milliValue() {
    return value().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Rounded up to a whole number (memory {@code 1.5Ki} is 1536). */
  public long longValue() {
    return value().setScale(0, RoundingMode.CEILING).longValueExact();
  }

  @Override
  public String toString() {
    return text;
  }

  static final class Serializer extends StdSerializer<Quantity> {
    Serializer() {
      super(Quantity.class);
    }

    @Override
    public void serialize(Quantity q, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(q.text());
    }
  }

  static final class Deserializer extends StdDeserializer<Quantity> {
    Deserializer() {
      super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return new Quantity(p.getText());
      }
      return (Quantity) c.handleUnexpectedToken(Quantity.class, p);
    }
  }
}
