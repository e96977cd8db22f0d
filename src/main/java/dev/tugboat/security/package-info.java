/**
 * Who is asking and what they may do: every API request is authenticated ({@link
 * dev.tugboat.security.Authentication}), then authorized, then admitted, in Kubernetes' order.
 */
package dev.tugboat.security;
