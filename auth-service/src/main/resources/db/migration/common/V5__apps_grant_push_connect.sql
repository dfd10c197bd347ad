-- User tokens now carry only scopes their app's grant holds, and push:connect joins the grantable
-- scopes. Apps that could mint user tokens could always give them push:connect: they keep it.
UPDATE apps SET scopes = scopes || ' push:connect'
WHERE (' ' || scopes || ' ') LIKE '% user-tokens:mint %' AND (' ' || scopes || ' ') NOT LIKE '% push:connect %';
