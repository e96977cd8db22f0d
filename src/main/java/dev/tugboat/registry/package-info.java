/** The store of record: one sharded, event-sourced entity per API object (ObjectEntity, one shard region per kind), the per-member list/watch index (WatchCache) derived from their changes, the Registry facade that routes requests to them, the Informer every component follows objects with, and the serving of the kinds CustomResourceDefinitions define. */
package dev.tugboat.registry;
