-- A user's preferred locale, a BCP 47 language tag in canonical form (e.g. 'pt-BR'); null when unknown.
ALTER TABLE users ADD COLUMN locale VARCHAR(64);
