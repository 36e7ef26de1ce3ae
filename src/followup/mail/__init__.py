"""Mail adapters: SMTP sending, IMAP folders, message composition."""
