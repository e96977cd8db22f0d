/**
 * What the API needs to know of one kind, as Kubernetes' registry strategies: {@link
 * dev.tugboat.kind.KindStrategy} (names, admission, field selectors, printer, deletion, history)
 * and the table printing every strategy uses. Each kind implements it in a package of its own
 * under {@code dev.tugboat.kinds}; nothing here knows a particular kind.
 */
package dev.tugboat.kind;
