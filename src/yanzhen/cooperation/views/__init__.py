"""Pages of the cooperation app, by topic: the ledger (``ledger``), its import
(``importing``), the bases (``bases``), activities (``activities``) and secondments
(``secondments``)."""
