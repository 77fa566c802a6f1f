"""`/api/v1`: the frozen first version (integer UTC hours, six contract endpoints), kept value for value."""
