-- The request id a device provisioned with. A device whose answer was lost retries with the same
-- id; until it first connects, the platform then issues its credential again instead of refusing
-- the serial as a replay.
ALTER TABLE devices ADD COLUMN provision_request_id text;
