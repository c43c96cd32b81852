"""The portal's own setup: settings and texts (`config`, `row`), the modules (`modules`) and the
portal profiles that grant contacts their rights (`profiles`)."""
