/** A member: its configuration, its start and stop (the components of its roles), and the embedded Cassandra launcher. */
package dev.tugboat.boot;
