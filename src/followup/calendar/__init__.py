"""Calendar adapters: public holidays for the business calendar, and calendar files."""
