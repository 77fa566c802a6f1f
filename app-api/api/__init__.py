"""Read-only FastAPI service over the batch prediction bucket.

gcsfs probes every bucket for zonal/HNS features over gRPC when this switch is on, which hangs for a
minute per call against emulators; this service reads plain objects only, so it defaults to off.
It must be set before gcsfs is imported.
"""

import os

os.environ.setdefault("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false")
