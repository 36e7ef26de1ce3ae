"""Adapters that read (and write) other programs' files: LinkedIn, spreadsheets, vCards, backups."""
