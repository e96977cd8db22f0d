/** The store of record: one sharded, event-sourced entity per API object (ObjectEntity, one shard region per kind), the per-member list/watch index (WatchCache) derived from their changes, and the Registry facade that routes requests to them. */
package dev.tugboat.registry;
