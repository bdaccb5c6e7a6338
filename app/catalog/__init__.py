"""The matter and disclosure catalogs: validation, import and export. No views here."""
