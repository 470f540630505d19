"""Pure geometry on the WGS84 ellipsoid: areas, lengths, changes, tables. No I/O."""
