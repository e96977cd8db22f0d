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

/**
 * A field that is a number or a string ({@code targetPort: 8080} or {@code targetPort: http};
 * {@code maxSurge: 25%}). It is written back as it was read: a JSON number stays a number, a string
 * a string ({@code "80"} is a string, as in Kubernetes).
 */
@JsonSerialize(using = IntOrString.Serializer.class)
@JsonDeserialize(using = IntOrString.Deserializer.class)
public record IntOrString(Integer intValue, String strValue) {

  public IntOrString {
    if ((intValue == null) == (strValue == null)) {
      throw new IllegalArgumentException("an IntOrString holds exactly one of an int and a string");
    }
  }

  public static IntOrString of(int value) {
    return new IntOrString(value, null);
  }

  public static IntOrString of(String value) {
    return new IntOrString(null, value);
  }

  public boolean isInt() {
    return intValue != null;
  }

  /** True for a percentage such as {@code 25%}. */
  public boolean isPercent() {
    return strValue != null && strValue.endsWith("%");
  }

  /**
   * The value against {@code total}: an int as is, a percentage of it rounded up or down
   * (Kubernetes rounds maxSurge up and maxUnavailable down).
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  public int scaled(int total, boolean roundUp) {
    if (isInt()) return intValue;
    if (!isPercent()) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage: \""
          + strValue + "\"");
    }
    int percent;
    try {
      percent = Integer.parseInt(strValue.substring(0, strValue.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + strValue + "\": not a whole-number percentage");
    }
    // Kubernetes computes in floating point too: ceil/floor(percent * total / 100).
    double v = percent * (double) total / 100.0;
    return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
  }

  @Override
  public String toString() {
    return isInt() ? intValue.toString() : strValue;
  }

  static final class Serializer extends StdSerializer<IntOrString> {
    Serializer() {
      super(IntOrString.class);
    }

    @Override
    public void serialize(IntOrString v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (v.isInt()) g.writeNumber(v.intValue());
      else g.writeString(v.strValue());
    }
  }

  static final class Deserializer extends StdDeserializer<IntOrString> {
    Deserializer() {
      super(IntOrString.class);
    }

    @Override
    public IntOrString deserialize(JsonParser p, DeserializationContext c) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return IntOrString.of(p.getIntValue());
      if (p.currentToken() == JsonToken.VALUE_STRING) return IntOrString.of(p.getText());
      return (IntOrString) c.handleUnexpectedToken(IntOrString.class, p);
    }
  }
}
