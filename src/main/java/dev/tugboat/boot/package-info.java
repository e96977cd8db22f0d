/** Main, configuration, the member's start and stop, and the embedded Cassandra launcher. */
package dev.tugboat.boot;
