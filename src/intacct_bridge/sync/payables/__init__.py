"""AP kinds of the outbox (seed 001): bills (`bills.Bills`) and AP adjustments (`adjustments.ApAdjustments`)."""
