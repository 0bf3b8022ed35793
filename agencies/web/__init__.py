"""The account pages: signing in (password, then the second factor),
enrolling an authenticator, recovery codes, changing the password, and an
overview of one's own security settings. The rules are in agencies/services."""
