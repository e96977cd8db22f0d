/** Controllers: level-triggered reconcilers, one per concern (namespaces today; deployments, replica sets, node lifecycle, endpoints and garbage collection next), each comparing desired with observed state on every change and on a periodic resync. */
package dev.tugboat.controller;
