/** The Java client for services inside the cluster (actor messaging through sharding proxies and the receptionist) and the Pekko Discovery method. Arrives with the Services issue. */
package dev.tugboat.client;
