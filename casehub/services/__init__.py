"""What happens when someone acts on a case: each function is one
transaction that changes the case, appends to its timeline, records the
audit entry, refreshes the deadline and publishes the domain event."""
