"""Entry point: ``python run.py`` serves; ``flask --app run ...`` finds ``app`` here."""

import os
import sys

from app import StartupError, create_app

try:
    app = create_app()
except StartupError as exc:
    sys.exit(f"sunshine: {exc}")


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8080")),
    )
