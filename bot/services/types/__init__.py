"""What the use cases take in and hand back, one module per feature.

Forms are parsed input (a view's parser builds them); results are what a service returns (a
view renders them). Services and views both import these; neither imports the other's functions.
"""
