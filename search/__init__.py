"""Full-text search over case records. Subscribes to the core's domain
events; the core never imports this package."""
