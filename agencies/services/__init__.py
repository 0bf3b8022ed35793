"""The acts on accounts: signing in (password, then the second factor),
enrolling an authenticator, changing a password, tokens, memberships,
service accounts, the agency directory, one's own profile. Each service
function authorises the actor itself (the access module), then validates the
input, then acts, and is audited exactly once, allowed or denied
(casehub.audit.act). Views only hand the request over and render the answer."""
