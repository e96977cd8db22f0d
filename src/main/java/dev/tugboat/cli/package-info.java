/** The tug command line (picocli), and {@code Main}, the entry point of the Tugboat jar. */
package dev.tugboat.cli;
