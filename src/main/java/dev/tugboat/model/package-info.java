/** The API objects as plain Java records shaped like Kubernetes JSON, with their codec (JSON, YAML), quantities, selectors, validation and defaults. Knows nothing of Pekko. */
package dev.tugboat.model;
