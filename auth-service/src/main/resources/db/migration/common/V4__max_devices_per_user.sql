-- The app's cap on devices one user may be connected with at once (push); NULL: no cap.
ALTER TABLE apps ADD COLUMN max_devices_per_user INT;
