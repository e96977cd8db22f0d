/** The tug command line (picocli). */
package dev.tugboat.cli;
