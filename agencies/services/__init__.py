"""What a person does with their own account: sign in (password, then the
second factor), enrol an authenticator, change their password, issue API
tokens. Views and the API call these; each is the one place its rule (and,
later, its audit entry) lives."""
