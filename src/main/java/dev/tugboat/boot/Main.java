package dev.tugboat.boot;

/** Entry point of the Tugboat jar: hands the command line to the {@code tug} CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("tugboat");
  }
}
