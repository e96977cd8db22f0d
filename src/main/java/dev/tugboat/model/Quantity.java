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
 * Decoding accepts any string or number and does not check the syntax: validation does, so that a bad
 * quantity is a 422 naming its field like every other invalid value. Two quantities are equal when
 * their texts are ({@code 1000m} is not {@code 1}); compare {@link #value()}s for amounts.
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

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  /** Far beyond any real quantity (an exabyte is 1e18); keeps arithmetic on hostile input cheap. */
  private static final int MAX_EXPONENT = 100;

  /**
   * The quantity {@code text}, checked.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static Quantity parse(String text) {
    Quantity q = new Quantity(text);
    q.value();
    return q;
  }

  /** A whole number of units ({@code 2} cores, {@code 110} pods). */
  public static Quantity of(long value) {
    return new Quantity(Long.toString(value));
  }

  /** Thousandths, written as Kubernetes writes them: {@code 1900m}, or {@code 2} when whole. */
  public static Quantity ofMilli(long milli) {
    return new Quantity(milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m");
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
      String digits = e.group(1).replaceFirst("^[+-]?0*", "");
      if (digits.length() > 3 || Integer.parseInt(digits.isEmpty() ? "0" : digits) > MAX_EXPONENT) {
        throw new IllegalArgumentException("quantity's exponent is out of range: \"" + suffix + "\"");
      }
      factor = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(e.group(1)));
    }
    return number.multiply(factor);
  }

  /** In thousandths, rounded up (cpu {@code 500m} is 500); saturates at the bounds of a long. */
  public long milliValue() {
    return saturated(value().movePointRight(3));
  }

  /** Rounded up to a whole number (memory {@code 1.5Ki} is 1536); saturates at the bounds of a long. */
  public long longValue() {
    return saturated(value());
  }

  private static long saturated(BigDecimal v) {
    if (v.compareTo(LONG_MAX) >= 0) return Long.MAX_VALUE;
    if (v.compareTo(LONG_MIN) <= 0) return Long.MIN_VALUE;
    return v.setScale(0, RoundingMode.CEILING).longValueExact();
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
