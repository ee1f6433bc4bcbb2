"""Secrets by field name: the value of `password=`, `client_secret:`, `token`, ... is dropped; the
name stays. Templates, masks, code, literals and prose under the same names are left alone."""

from __future__ import annotations

import base64
import random
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.passwords import PasswordDetector

DETECTOR = PasswordDetector()
P, K = "PASSWORD", "API_KEY"
AWS_SECRET = "7mjOj+AuUcZoSCw1T69kqFIHSOZilILA2ef/0Skj"
AWS_DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS's documentation sample: still a key

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- code, config, env, JSON, YAML --
    # Base64 key material may start with a slash; a real path stays.
    ("AWS_SECRET_ACCESS_KEY=/78r4KNwKlUxihFctptQWsQbU3VDPncrY8mwDmBn\n",
     [("/78r4KNwKlUxihFctptQWsQbU3VDPncrY8mwDmBn", K)]),
    ("AWS_SECRET_ACCESS_KEY=/rQUJz5imHRcTH1PW1ic0DN0UA/ST9jRhBpFOtPq\n",
     [("/rQUJz5imHRcTH1PW1ic0DN0UA/ST9jRhBpFOtPq", K)]),
    ("secret=/Users/JohnSmith/Documents/report2024 token=/var/lib/App/Data/Cache12/x", []),
    ("password=/tmp/foo/bar and secret: /etc/ssl/private.key and token=/usr/local/bin", []),
    ("DB_PASSWORD=Pixel-copper-harbor67", [("Pixel-copper-harbor67", P)]),
    ('{"user": "etl", "password": "Maple orbit lantern 02!"}', [("Maple orbit lantern 02!", P)]),
    ("password: Tundra-maple-quartz26\nhost: db", [("Tundra-maple-quartz26", P)]),
    ("  client_secret: 782175e09e952cd2bfeb7dddaca33c54b2eb699f",
     [("782175e09e952cd2bfeb7dddaca33c54b2eb699f", P)]),
    ("conn = psycopg2.connect(host=h, password='hunter2!x')", [("hunter2!x", P)]),
    ('$config["db_pass"] = "s3cr3t-Value";', [("s3cr3t-Value", P)]),
    ('dbPassword := "Glacier46"', [("Glacier46", P)]),
    ("'password' => 'Velvet-orbit-maple80',", [("Velvet-orbit-maple80", P)]),
    ('user.setPassword("Harbor#velvet52");', [("Harbor#velvet52", P)]),
    ('"{\\"password\\": \\"Falcon-orbit-40\\"}"', [("Falcon-orbit-40", P)]),
    (f"aws_secret_access_key = {AWS_SECRET}", [(AWS_SECRET, K)]),
    ('"SecretAccessKey": "' + AWS_SECRET + '"', [(AWS_SECRET, K)]),
    ("X-Api-Key: 0rPU3wmJ2aSoFL7tkXdqD075ax4jUkx5", [("0rPU3wmJ2aSoFL7tkXdqD075ax4jUkx5", K)]),
    (f"Our API key: Teua2fzBgfUH5xdDpm9L4ySw, the AWS secret key is {AWS_SECRET}.",
     [("Teua2fzBgfUH5xdDpm9L4ySw", K), (AWS_SECRET, K)]),
    ("?access_token=ya29abcDEF0123456789xyz&next=1", [("ya29abcDEF0123456789xyz", K)]),
    ("AccountKey=Hc/pSE3akhng0mI23PX/xcAJwuKf1Kk+bKowmTb/Zg==;EndpointSuffix=core.windows.net",
     [("Hc/pSE3akhng0mI23PX/xcAJwuKf1Kk+bKowmTb/Zg==", K)]),
    # -- connection strings --
    ("jdbc:postgresql://db:5432/orders?user=etl&password=Maple-orbit-lantern02 which is prod",
     [("Maple-orbit-lantern02", P)]),
    ("Server=tcp:db,1433;User ID=report_ro;Password=Cpq5jm.q4niu7*j;Encrypt=True;", [("Cpq5jm.q4niu7*j", P)]),
    ("Driver={ODBC};UID=sa;PWD=Tundra!2024;", [("Tundra!2024", P)]),
    ("login?user=etl&pwd=Tr0ub4dor&3&next=/home", [("Tr0ub4dor&3", P)]),
    ('<add key="Password" value="Harbor-velvet-52" />', [("Harbor-velvet-52", P)]),
    ("secret_key_base: 5f4dcc3b5aa765d61d8327deb882cf99aa1b2c3d4e5f",
     [("5f4dcc3b5aa765d61d8327deb882cf99aa1b2c3d4e5f", K)]),
    # -- flags, netrc, xml, prose --
    ("mysql -u root -pQuartz99x orders", [("Quartz99x", P)]),
    ("curl -u deploy:E2vLnzDkwOd2JmrxW https://x", [("E2vLnzDkwOd2JmrxW", P)]),
    ("vault login --password Saffron-maple-00", [("Saffron-maple-00", P)]),
    ("machine api.example.com login ci password kjMmSG9Uo7C25h", [("kjMmSG9Uo7C25h", P)]),
    ("machine h\n  login ci\n  password kjMmSG9Uo7C25h\n", [("kjMmSG9Uo7C25h", P)]),
    # A credential pair in chat: the password after its name needs no colon after a user's.
    ("login: admin password hunter2, username bob pwd s3cret9",
     [("hunter2", P), ("s3cret9", P)]),
    ("Login as admin, password reset2024 is required; user admin password reset link", []),
    ("<db><password>Harbor-velvet-52</password></db>", [("Harbor-velvet-52", P)]),
    ("The wifi password is Orbit-88-lantern, the guest password was: Pixel42",
     [("Orbit-88-lantern", P), ("Pixel42", P)]),
    # -- other languages --
    ("Passwort: Kennwort-2024! / mot de passe : Soleil#2024", [("Kennwort-2024!", P), ("Soleil#2024", P)]),
    ("contraseña=Sol2024x wachtwoord=Geheim123 senha: abc123xyz",
     [("Sol2024x", P), ("Geheim123", P), ("abc123xyz", P)]),
    ("密码: Abc12345x パスワードはXyz98765q 비밀번호는 Qwe24680z",
     [("Abc12345x", P), ("Xyz98765q", P), ("Qwe24680z", P)]),
    ("impasse: Route-66 is closed", []),
    # No copula, words between the name and the value (other languages only), Thai glue.
    ("пароль от вайфая kvartira42; hasło do wifi to żubrówka12; كلمة سر الواي فاي dubai2024",
     [("kvartira42", P), ("żubrówka12", P), ("dubai2024", P)]),
    ("الباسورد الجديد Sahara_55; वाईफाई का पासवर्ड chai12345 है; 와이파이 비번 kimchi1234; пасс: Medved2024",
     [("Sahara_55", P), ("chai12345", P), ("kimchi1234", P), ("Medved2024", P)]),
    ("รหัสผ่านของฉันคือ Bangkok2024 รหัสไวไฟ tomyum1234", [("Bangkok2024", P), ("tomyum1234", P)]),
    ("รหัสสินค้า SKU12345; пароль изменён 3 раза в 2024 году; password for user admin123", []),
    # Words between, then a product, a standard or a user, or a clause that goes on.
    ("Пароль от Windows10 можно сбросить. Passwort für Benutzer admin1 zurückgesetzt.", []),
    ("Hasło do konta Microsoft365\nHasło zgodne z normą ISO27001\n비번 바꾸는 법 갤럭시S24", []),
    ("user alice password reset2024 requested; user root password sha512 crypt; user x password oauth2",
     []),
    # A secret's name inside a variable's reference names nothing after it.
    ("docker run -e POSTGRES_PASSWORD=$POSTGRES_PASSWORD postgres:16; echo ${DB_PASSWORD} done-2x", []),
    # -- a plain word or number alone on its line under a password name is the password --
    ("Username: jane\nPassword: Soleil\nHost: db", [("Soleil", P)]),
    ("Passwort: geheim", [("geheim", P)]),
    ("mot de passe: Soleil, merci", [("Soleil", P)]),
    ("contraseña: girasol", [("girasol", P)]),
    ("wifi password: Sunflower", [("Sunflower", P)]),
    ("passcode: 4821\nPIN: 1234", [("4821", P)]),
    ("비밀번호: 사랑해요123\n", [("사랑해요123", P)]),
    ("Password: optional\npassword: hidden; Passwort: erforderlich ist das", []),
    ("Passwort: vergessen\nmot de passe: oublié\ncontraseña: olvidada", []),
    ("season pass: 2024\nPassword: see vault", []),
    # -- session ids, `auth`, `credentials`, YAML block scalars --
    ("session_id=Zx9qLm2Pw8Rt4Yk7", [("Zx9qLm2Pw8Rt4Yk7", K)]),
    ("sessionid: 9944b09199c62bcf9418ad846dd0e4bb", [("9944b09199c62bcf9418ad846dd0e4bb", K)]),
    ("JSESSIONID=9944B09199C62BCF9418AD846DD0E4BB; PHPSESSID=q1w2e3r4t5y6u7i8",
     [("9944B09199C62BCF9418AD846DD0E4BB", K), ("q1w2e3r4t5y6u7i8", K)]),
    ('{"auth": "Zx9qLm2Pw8Rt4Yk7", "credentials": "u1:Zx9qLm2Pw8Rt4Yk7"}',
     [("Zx9qLm2Pw8Rt4Yk7", K), ("u1:Zx9qLm2Pw8Rt4Yk7", K)]),
    ("api_key: >-\n  Zx9qLm2Pw8Rt4Yk7Ab3Cd\nother: 1", [("Zx9qLm2Pw8Rt4Yk7Ab3Cd", K)]),
    ("password: |\n    Tundra-maple-quartz26\n", [("Tundra-maple-quartz26", P)]),
    ("Ocp-Apim-Subscription-Key: 9944b09199c62bcf9418ad846dd0e4bb",
     [("9944b09199c62bcf9418ad846dd0e4bb", K)]),
    ("appKey = 'Zx9qLm2Pw8Rt4Yk7'; consumer_key: Ab3CdZx9qLm2Pw8R",
     [("Zx9qLm2Pw8Rt4Yk7", K), ("Ab3CdZx9qLm2Pw8R", K)]),
    ("X-Vault-Token: hvs.CAESIJ1k2Zx9qLm2Pw8Rt4Yk7", [("hvs.CAESIJ1k2Zx9qLm2Pw8Rt4Yk7", K)]),
    ("sessions: 12, session: morning, auth: required, auth: oauth2, credentials: ~/.aws/credentials", []),
    ("obsession: 2024; the session key is rotated daily", []),
    # -- an AWS secret key without its name, after a mention of AWS --
    ("AWS creds for the bot:\nAKIA3GQKB33SJURJSTYP\n" + AWS_SECRET + "\n", [(AWS_SECRET, K)]),
    (f"aws: {AWS_DOC_SECRET}", [(AWS_DOC_SECRET, K)]),
    (f"aws_secret_access_key={AWS_DOC_SECRET}", [(AWS_DOC_SECRET, K)]),
    (f"aws_secret_access_key = {AWS_SECRET}  # AWS", [(AWS_SECRET, K)]),
    ("AWS bucket path: src/components/Header/index/test/abc/defg", []),
    ("AWS commit 5b53a17f6f8cde0b4747c779fc6abb475e5b4f50 and ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD", []),
    # -- sample-looking values are secrets unless nothing but the stand-in remains --
    ("token: sample_token_Zx9qLm2Pw8Rt4Yk7", [("sample_token_Zx9qLm2Pw8Rt4Yk7", K)]),
    ("api_key=EXAMPLEKEY1234567890abcd", [("EXAMPLEKEY1234567890abcd", K)]),
    ("password: your_password_here api_key=YOUR-API-KEY-HERE-123 secret=<example>", []),
    # -- passphrases of joined words; a refused name does not hide the next one --
    ("$ ./deploy --user judy --password copper-maple-harbor-quartz",
     [("copper-maple-harbor-quartz", P)]),
    ("machine h\n  login u\n  password correct-horse-battery-staple\n",
     [("correct-horse-battery-staple", P)]),
    ("The login is april22 and the password is horse-battery-staple-cloud (temporary).",
     [("horse-battery-staple-cloud", P)]),
    ("Test creds: token: APjWokWp7lTgibldvrVldK11SgaMlEXAMPLEKEY",
     [("APjWokWp7lTgibldvrVldK11SgaMlEXAMPLEKEY", K)]),
    ("the password is state-of-the-art? no: the password is strong", []),
    ("passphrase: correct horse battery staple\nnext: 1", [("correct horse battery staple", P)]),
    ("passphrase: see the vault entry for it\npassphrase: see vault entry", []),
    # -- flags and signed URLs --
    ("sshpass -p 'Quartz99x' ssh deploy@host", [("Quartz99x", P)]),
    ("docker login -u bob -p hunter2pass registry.io", [("hunter2pass", P)]),
    ("ssh login via ssh -p 2222 deploy@host", []),
    ("https://a.blob.core.windows.net/c?sv=2020-08-04&sp=r&sig=Hc%2FpSE3akhng0mI23PX%2FxcAJwu%3D",
     [("Hc%2FpSE3akhng0mI23PX%2FxcAJwu%3D", K)]),
    ("design sig=approved; ?sig=short", []),
    # -- empty values, templates, masks, literals --
    ("password=\nPASSWORD=''\n\"password\": \"\"", []),
    ("password=<your-password> token=<TOKEN> secret=[REDACTED] api_key=***", []),
    ("password=${DB_PASSWORD} password: $DB_PASS password=%(pw)s password={{ vault_db_password }}", []),
    ("PASSWORD=%DB_PASSWORD% pwd=? password=:password password: !vault", []),
    ("password: ******** token: xxxxxxxxxxxxxxxx secret=changeme_placeholder", []),
    ('"password": null, "token": None, "secret": true, api_key: ""', []),
    # -- code that names the secret without holding it --
    ("API_KEY = os.environ[\"OPENAI_API_KEY\"]  # never hard-code keys", []),
    ("password = getpass.getpass(); token = request.headers.get('x')", []),
    ("connect(password=password, token=self.token, secret=settings.DB_SECRET)", []),
    ("login(user, password=db_password)  # api_key=API_KEY_FROM_ENV", []),
    ("def login(password: str, token: Optional[str] = None) -> None:", []),
    ("PWD=/home/alice/projects; secret_file=/run/secrets/db", []),
    # -- prose and numbers under secret-sounding words --
    ("Password: required. Reset your password: click the link. Password: must be 12 characters", []),
    ('{"errors": {"password": "This field is required."}}', []),
    ("restore cache key=deps-73fbc835fcbc, max_tokens=1024, tokens: 842, token: 5", []),
    ("bypass=true compass: north passed=12 passport_no: 125811037", []),
    ("The password reset flow; password was changed; token limit reached; --pass-through mode", []),
    ("<key>CFBundleName</key><string>App</string>", []),
    ("the private key: ~/.ssh/id_ed25519; secret keys are rotated: daily; the key is: above", []),
    ("secretary: Jane; top secret: do not share", []),
    # -- a bare `key`: only long random key material under it is a key --
    ("Use this key from the docs: key=UFNeoTs8t2UvGHZHUurH2wZgs8I2FEXAMPLEKEY",
     [("UFNeoTs8t2UvGHZHUurH2wZgs8I2FEXAMPLEKEY", K)]),
    ('{"key": "a8F3kd9QmZx72LpW4nB6vT1yHs0R"}', [("a8F3kd9QmZx72LpW4nB6vT1yHs0R", K)]),
    ("cache key=user_profile_12345; sort key: createdAtTimestampDescending1", []),
    ("the key: ThisIsMyDocumentationHeader2024Value; key=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", []),
    ("monkey: Zx9qLm2Pw8Rt4Yk7Ab3CdZx9qL; turkey=Zx9qLm2Pw8Rt4Yk7Ab3CdZx9", []),
    ("STRIPE_KEY=nRoZWhTAyh/1qmKEOodNa6vjCtQxHEXAMPLEKEY\nstripeKey: Zx9qLm2Pw8Rt4Yk7Ab3CdZx9",
     [("nRoZWhTAyh/1qmKEOodNa6vjCtQxHEXAMPLEKEY", K), ("Zx9qLm2Pw8Rt4Yk7Ab3CdZx9", K)]),
    # -- a password's own shape after its name and a space; words between the name and `is` --
    ("passwd Hunter2Secret!", [("Hunter2Secret!", P)]),
    ("The password for the server is Summer2024! Password for wifi is Tr0ub4dor.",
     [("Summer2024!", P), ("Tr0ub4dor", P)]),
    ("the password for the account is required. The password for Jane was reset; password policy2",
     []),
    # -- a secret's name inside an unquoted value: the key alone; a password keeps its `=` --
    ("Test creds: STRIPE_KEY=RVHDw7otn5iA4Y8It3kL6XvcJqY8oEXAMPLEKEY\npassword: abc=def123X\n",
     [("RVHDw7otn5iA4Y8It3kL6XvcJqY8oEXAMPLEKEY", K), ("abc=def123X", P)]),
    # -- key material with no name: random base64 of 32+ standing alone --
    ("Sample config: bLC2G38nWlIBlpTBB6roJYv2tZckgEXAMPLEKEY\n",
     [("bLC2G38nWlIBlpTBB6roJYv2tZckgEXAMPLEKEY", K)]),
    ("blob: dGhpcyBpcyBhIHNlY3JldCBtZXNzYWdlIDEyMzQ1Njc4OQ== end",
     [("dGhpcyBpcyBhIHNlY3JldCBtZXNzYWdlIDEyMzQ1Njc4OQ==", K)]),
    ("call getUserProfileByIdentifierAsync2024 now; sha 3f2a9b7c1d4e5f60718293a4b5c6d7e8f9012345", []),
    ("see /usr/lib/python3.11/site-packages/AbCdEfGh12345678IjKlMnOp and "
     "https://x.io/AbCdEfGh12345678IjKlMnOpQrStUv90 and ABCDEFGHIJKLMNOPQRSTUVWXYZ012345abcd", []),
    # -- htpasswd -b: the last argument is the password --
    ("htpasswd -b .htpasswd bob S3cretPass", [("S3cretPass", P)]),
    ("htpasswd -nb bob S3cretPass", [("S3cretPass", P)]),
    ("sudo htpasswd -bB -C 10 /etc/nginx/.htpasswd alice 'Quartz 99!'", [("Quartz 99!", P)]),
    ('htpasswd -nbB admin "hunter2" | tee -a users', [("hunter2", P)]),
    ("htpasswd -cb /etc/apache2/.htpasswd bob letmein && reload", [("letmein", P)]),
    ("htpasswd -c .htpasswd bob; htpasswd -D .htpasswd bob; htpasswd -b file user", []),
    ("htpasswd -b .htpasswd bob $PASSWORD; Use htpasswd to create the file", []),
    # -- "API key" in French, Spanish, Portuguese, Italian, German --
    ("2024-05-01 ... user=bob clé API=s3cr3t-Pa55 ok", [("s3cr3t-Pa55", K)]),
    ("clé d'API : Zx9qLm2Pw8Rt4Yk7; cle API=Zx9qLm2Pw8Rt4Yk8",
     [("Zx9qLm2Pw8Rt4Yk7", K), ("Zx9qLm2Pw8Rt4Yk8", K)]),
    ("API-Schlüssel: Zx9qLm2Pw8Rt4Yk7", [("Zx9qLm2Pw8Rt4Yk7", K)]),
    ("clave API: Zx9qLm2Pw8Rt4Yk7, clave de API=Ab3CdZx9qLm2Pw8R",
     [("Zx9qLm2Pw8Rt4Yk7", K), ("Ab3CdZx9qLm2Pw8R", K)]),
    ("chave de API = Zx9qLm2Pw8Rt4Yk7; chiave API: Ab3CdZx9qLm2Pw8R",
     [("Zx9qLm2Pw8Rt4Yk7", K), ("Ab3CdZx9qLm2Pw8R", K)]),
    ("la clé API est obligatoire; clé API: requise; API-Schlüssel: siehe Tresor", []),
    ("the api is down; https://api.example.com/v1?x=1; clé API=${API_KEY}; api: v2", []),
    # -- "the password is ..." in Spanish, Portuguese, Italian (French and German above) --
    ("La contraseña es Zq8#mK2$pL9v para la cuenta.", [("Zq8#mK2$pL9v", P)]),
    ("a senha é Zq8#mK2$pL9v para o acesso", [("Zq8#mK2$pL9v", P)]),
    ("la password è Zq8#mK2$pL9v per l'account", [("Zq8#mK2$pL9v", P)]),
    ("La contraseña era Qw3rty!9 ayer", [("Qw3rty!9", P)]),
    ("la contraseña es segura; a senha é forte; la password è sbagliata", []),
    ("la contraseña es obligatoria para la cuenta; das Passwort ist falsch", []),
    # -- SQL user statements and a PostgreSQL password file --
    ("ALTER USER app IDENTIFIED BY Tr0ub4dor&3xyz;", [("Tr0ub4dor&3xyz", P)]),
    ("CREATE USER 'bob'@'%' IDENTIFIED WITH mysql_native_password BY 'S3cret!pw';", [("S3cret!pw", P)]),
    ("GRANT ALL ON *.* TO 'u'@'h' IDENTIFIED BY 'pw9876';", [("pw9876", P)]),
    ("db.internal:5432:app:admin:Tr0ub4dor&3xyz\n*:*:*:postgres:hunter22",
     [("Tr0ub4dor&3xyz", P), ("hunter22", P)]),
    ("users identified by email are merged; we alter the plan: users identified by name", []),
    ("10:30:45:12:99 and host:8080:db:user:x", []),
    # Over lines; SET PASSWORD; CONNECT ... USING; an indented or echoed .pgpass line.
    ("CREATE USER 'app'@'%'\n  IDENTIFIED BY 'S3cr3tPassw0rd!';", [("S3cr3tPassw0rd!", P)]),
    ("GRANT SELECT ON db.*\nTO 'ro'@'%'\nIDENTIFIED BY 'R3adOnly#1';", [("R3adOnly#1", P)]),
    ("SET PASSWORD FOR 'app'@'localhost' = 'N3wS3cret!x'; SET PASSWORD = 'an0ther pw';",
     [("N3wS3cret!x", P), ("an0ther pw", P)]),
    ("EXEC SQL CONNECT TO sales USER dbuser USING 'Db2#Passw0rd';", [("Db2#Passw0rd", P)]),
    ("    db.example.com:5432:app:appuser:N3wS3cret!x\n", [("N3wS3cret!x", P)]),
    ("echo 'db.example.com:5432:app:appuser:N3wS3cret!x' >> ~/.pgpass", [("N3wS3cret!x", P)]),
    ("we set password rules = strict; connect to the VPN using the app; reset the password", []),
    ("the accounts we create\nare users identified by email\nby default.", []),
    # -- labels in markup, after a line break, with leaders, bars and dashes --
    ("Password:\nhunter2\n\nPassword:\r\nTr0ub4dor&3", [("hunter2", P), ("Tr0ub4dor&3", P)]),
    ("**Password:** hunter2 and __Passwort__: geheim99", [("hunter2", P), ("geheim99", P)]),
    ("<b>Password:</b> hunter2 <tr><td>Password</td><td>S3cret-99</td></tr>",
     [("hunter2", P), ("S3cret-99", P)]),
    ("Password........: hunter2\nPassword | Tr0ub4dor&3 |\npassword - Summer2024",
     [("hunter2", P), ("Tr0ub4dor&3", P), ("Summer2024", P)]),
    ("Password:\n  - at least 8 characters\n| password | string | required |\npassword - required", []),
    ("<td>Password</td>\n  <td>Tr0ub4dor3</td> <TD>Password:</TD><TD>S3cret-99</TD>",
     [("Tr0ub4dor3", P), ("S3cret-99", P)]),
    ("<dt>Password</dt><dd>Tr0ub4dor3</dd> <b>Password: </b>S3cret-99",
     [("Tr0ub4dor3", P), ("S3cret-99", P)]),
    ("Password:\n\nTr0ub4dor3\nPassword:\nS3cret-99 (temporary)\nPassword:\n  Summer2024  \n",
     [("Tr0ub4dor3", P), ("S3cret-99", P), ("Summer2024", P)]),
    ("Password:\n\nThe policy requires 8 characters\nPassword:\nRequirements below", []),
    # -- other languages and spellings --
    ("Hasło: hunter2 Пароль: Secret99 Şifre: Gizli123 Lösenord: hemligt99",
     [("hunter2", P), ("Secret99", P), ("Gizli123", P), ("hemligt99", P)]),
    ("parola d'ordine: segreta77, pswd: hunter2, Pass-word: Tr0ub4dor", [("segreta77", P), ("hunter2", P),
                                                                         ("Tr0ub4dor", P)]),
    ("la parola chiave è importante; heslo: Tajne123", [("Tajne123", P)]),
    # -- a secret's name in one field, its value in the next --
    ('env:\n  - name: DB_PASSWORD\n    value: "hunter2"', [("hunter2", P)]),
    ('{"name": "password", "value": "hunter2"} {"Name": "/prod/db/password", "Value": "Tr0ub4dor"}',
     [("hunter2", P), ("Tr0ub4dor", P)]),
    ("- name: API_TOKEN\n  value: abcDEF123ghiJKL456", [("abcDEF123ghiJKL456", K)]),
    ("- name: LOG_LEVEL\n  value: debug\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:", []),
    ("the value: 42 for name: password_length; evaluate: hunter2", []),
    # -- code and command lines --
    ("define('DB_PASSWORD', 'hunter2'); os.getenv(\"SMTP_PASSWORD\", \"Mailpw2024\")",
     [("hunter2", P), ("Mailpw2024", P)]),
    ('translate("password", "mot de passe")', []),
    ('dsn := "root:hunter2@tcp(db:3306)/app"', [("hunter2", P)]),
    ("redis-cli -h db -a S3cretRedis; sqlcmd -S srv -U sa -P Passw0rd!; ldapsearch -x -w adminpw123",
     [("S3cretRedis", P), ("Passw0rd!", P), ("adminpw123", P)]),
    ("keytool -list -storepass changeit99; zip -P zippw123 o.zip f; 7z a -pSevenPw99 a.7z",
     [("changeit99", P), ("zippw123", P), ("SevenPw99", P)]),
    ("xfreerdp /u:bob /p:RdpPass1; smbclient //h/s -U admin%SmbPw99; net user administrator N3wAdm1n /add",
     [("RdpPass1", P), ("SmbPw99", P), ("N3wAdm1n", P)]),
    ("aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYzzzKEY",
     [("wJalrXUtnFEMIK7MDENGbPxRfiCYzzzKEY", K)]),
    ("net user bob * and zip -r out.zip dir", []),
    # -- prose --
    ("[sudo] password for bob: hunter2", [("hunter2", P)]),
    ("Password for the VPN: Tr0ub4dor, reset the admin pw to hunter2; I set the password to Summer2024!",
     [("Tr0ub4dor", P), ("hunter2", P), ("Summer2024!", P)]),
    ("I changed my password to something stronger. Password for account: see vault", []),
    # -- titles, breadcrumbs, settings and translations are no passwords --
    ("Reset Password - Acme\nPassword - Wikipedia\nHome | Account | Password | Settings", []),
    ("DB_PASSWORD - PostgreSQL", []),
    ("Пароль - Восстановление; secret - Kubernetes-Secret", []),
    ('{"name": "passenger", "value": "Jane Doe"} {"name": "compass", "value": "north1"}', []),
    ("- name: PASSWORD_POLICY\n  value: strong\n- name: SECRET_NAME\n  value: my-app-secret", []),
    ('<add key="PasswordFormat" value="Hashed" /> {"name": "passwordStrength", "value": "strong"}', []),
    ("_x('Password', 'login-form-label', 'my-plugin'); i18n.t(\"password\", \"Contraseña\")", []),
    ('assertEquals("password", "PasswordField1")', []),
    # -- commands: the flag belongs to the command, the command starts its line --
    ("redis-cli info; ls -a /tmp/dump\nldapsearch -x -b dc=x | wc -w results", []),
    ("zip -r out.zip dir && rsync -P out.zip host:/backup/\nnet user bob /domain", []),
    ("The zip -P option takes a password. Download the zip, then run: mysql -h db -P 3306", []),
    ("7z e file.7z then git log -patch\nOur net user base grew 20%; sqlcmd -S s -a 8192", []),
    ("$ zip -P zippw123 a.zip f\nsudo net user administrator N3wAdm1n /add",
     [("zippw123", P), ("N3wAdm1n", P)]),
    ('{"cmd": "redis-cli -a S3cretRedis\\nredis-cli ping"}', [("S3cretRedis", P)]),
    # -- SQL: the manuals' samples stay; a database link's password; DB2's bare form --
    ("SET PASSWORD FOR 'jeffrey'@'localhost' = 'auth_string';", []),
    ("EXEC SQL CONNECT TO t USING 'readonly_conn';", []),
    ("CREATE DATABASE LINK x CONNECT TO u IDENTIFIED BY Tr0ub4dor3 USING 'orcl';", [("Tr0ub4dor3", P)]),
    ("db2 connect to sample user db2inst1 using Tr0ub4dor3", [("Tr0ub4dor3", P)]),
    # -- an escaped line break ends a bare value --
    ("PASSWORD=S3cret99\\nUSER=app", [("S3cret99", P)]),
    # -- more names --
    ("Parola: Tr0ub4dor3, Haslo: Tr0ub4dor4, Kodeord: Tr0ub4dor5, psw: Tr0ub4dor6, P@ssword: Tr0ub4dor7",
     [("Tr0ub4dor3", P), ("Tr0ub4dor4", P), ("Tr0ub4dor5", P), ("Tr0ub4dor6", P), ("Tr0ub4dor7", P)]),
    ("una parola: ciao", []),
    # -- from the fourth tester: empty .env values, more tools, Oracle, pair names, <code> --
    ("PASSWORD=\nUSER=app\nDB_PASSWORD=\n\nDB_PORT=5432\nAPI_TOKEN=\nLOG_LEVEL=info", []),
    ("unzip -P Gr33nTea_42 a.zip\nmongosh -u root -p Gr33nTea_43", [("Gr33nTea_42", P), ("Gr33nTea_43", P)]),
    ("CONNECT scott/Gr33nTea_42@orcl\nsqlplus scott/pw1234@//db:1521/orcl",
     [("Gr33nTea_42", P), ("pw1234", P)]),
    ("- name: ADMIN_PASS\n  value: Gr33nTea_42", [("Gr33nTea_42", P)]),
    ('{"name":"user[password]","value":"Gr33nTea_42"} {"name": "bypass", "value": "x12345678"}',
     [("Gr33nTea_42", P)]),
    ("Password: <code>Gr33nTea_42</code>", [("Gr33nTea_42", P)]),
    ("CREATE DATABASE LINK r CONNECT TO scott IDENTIFIED BY \"&pw\" USING 'orcl'", []),
    ("connect the dots/lines@home", []),
    # -- the value before its name: "use X as the password" --
    ("Use Tr0ub4dor&3xyz as the password.", [("Tr0ub4dor&3xyz", P)]),
    ("I picked 'letmein' as my new wifi password", [("letmein", P)]),
    ("Type `s3cr3tPW` as the passphrase. Try Summer2024! AS the admin password",
     [("s3cr3tPW", P), ("Summer2024!", P)]),
    ("Use your email as the password; use SHA-256 as the password hash", []),
    ("Use bcrypt12 as the password hashing algorithm. We use Vault as the password manager.", []),
    ("use \"password\" as the password, use <your-password> as the password, use it as the pw", []),
    ("Use Tr0ub4dor&3xyz as the username", []),
    # -- from the fifth tester: prose tenses, positional arguments, split names, quoting, shells --
    ("the admin password is now bluefalcon77. The password has been changed to Winter2024x",
     [("bluefalcon77", P), ("Winter2024x", P)]),
    ("the password became bluefalcon77. pw for the wifi: Winter2024x. credentials are admin:Hunter2x99",
     [("bluefalcon77", P), ("Winter2024x", P), ("admin:Hunter2x99", K)]),
    ("The password is now required. Your password has been changed to something stronger. "
     "The credentials are stored in the vault. password reset to default", []),
    ("password 'bluefalcon77'", [("bluefalcon77", P)]),
    ("requests.get(url, auth=('admin', 'correcthorse9')); smtp.login('me@x.com', 'Winter2024!')",
     [("correcthorse9", P), ("Winter2024!", P)]),
    ('new NetworkCredential("bob", "Winter2024!"); req.SetBasicAuth("admin", "Winter2024?")',
     [("Winter2024!", P), ("Winter2024?", P)]),
    ('DriverManager.getConnection(url, "root", "Winter2024!"); new PDO($dsn, \'root\', \'Pw-2024-x\');',
     [("Winter2024!", P), ("Pw-2024-x", P)]),
    ("keyring.set_password('svc', 'bob', 'Winter2024!')\n"
     "$s = ConvertTo-SecureString 'Pw-2024-x' -AsPlainText",
     [("Winter2024!", P), ("Pw-2024-x", P)]),
    ('requests.get(url, auth=(user, password)); smtp.login(user, pw); '
     'ui.login("Welcome back", "Please sign in")'
     "; keyring.set_password(service, user, password)", []),
    ('map.put("password", "Winter2024!"); {"ParameterKey": "DBPassword", "ParameterValue": "Pw-2024-x"}',
     [("Winter2024!", P), ("Pw-2024-x", P)]),
    ('variable "db_password" {\n  type = string\n  default = "Winter2024!"\n}\n'
     'variable "region" { default = "eu" }',
     [("Winter2024!", P)]),
    ('map.put("password", password); form.add("password", "Password"); '
     'variable "db_password" { type = string }',
     []),
    # A code identifier's value alone on its line is the secret, a plain word included.
    ("DB_PASS: sunshine\nclient_secret: correcthorsebattery\npassword: P@ss",
     [("sunshine", P), ("correcthorsebattery", P), ("P@ss", P)]),
    ("DB_PASS: ${DB_PASS}\nclient_secret: required\nPASSWORD_POLICY: strict\nThe secret: patience.", []),
    # String prefixes, triple quotes, a parenthesised literal, a constructor around it.
    ("password = b'bluefalcon77'\npwd = r\"Winter2024!\"\nsecret = \"\"\"Pw-2024-x\"\"\"",
     [("bluefalcon77", P), ("Winter2024!", P), ("Pw-2024-x", P)]),
    ("password = (\n    'bluefalcon77'\n)\nlet password = String::from(\"Winter2024!\");",
     [("bluefalcon77", P), ("Winter2024!", P)]),
    ("let password = String::new(); $password = $_POST['password']; $pass = $request->input('pw');", []),
    # Shell: piped, positional and tool-specific password arguments.
    ("echo 'root:Winter2024!' | chpasswd\necho Pw-2024-x | docker login --password-stdin -u bob",
     [("Winter2024!", P), ("Pw-2024-x", P)]),
    ("openssl enc -aes-256-cbc -k Winter2024! -in a\nlftp -u bob,Pw-2024-x host\n"
     "rdesktop -u bob -p Hunter2x99 h",
     [("Winter2024!", P), ("Pw-2024-x", P), ("Hunter2x99", P)]),
    ("wpa_passphrase HomeNet Winter2024!\ngh secret set TOKEN --body Pw-2024-x\n"
     "setx API_KEY 3f9a8b7c6d5e4f3a2b1c",
     [("Winter2024!", P), ("Pw-2024-x", P), ("3f9a8b7c6d5e4f3a2b1c", K)]),
    ("echo $PASS | docker login --password-stdin -u bob\ngh secret set TOKEN < t.txt\nopenssl req -key s.key",
     []),
    ("jdbc:oracle:thin:scott/Tr0ub4dor&3x@//db:1521/ORCL", [("Tr0ub4dor&3x", P)]),
    # From the sixth tester (over-redaction): how a password is kept, types, states, patterns,
    # flags, UI labels, rule maps, paths, the first of several arguments.
    ("The password is now Okta-managed. The credentials are SSO-managed. It became AES-encrypted, "
     "then has been changed to SHA-512.", []),
    ("Use OAuth2 as the password grant replacement. Use UTF-8 as the password encoding.", []),
    ("dbPassword: Boolean\nclient_secret: Opaque\nPASSWORD:\n  valueFrom:\n    secretKeyRef: x", []),
    ("password = r'[A-Za-z0-9]{8,}'\npassword = r'^\\S+$'\npassword = b'\\x00' * 16", []),
    ("ConvertTo-SecureString $password -AsPlainText -Force\n$pw = ConvertTo-SecureString x", []),
    ("the password 'Forgot?' link; label the field password 'Confirm Password'", []),
    ('rules.add("password", "required|min:8"); labels.put("password", "Mot de passe")', []),
    ('variable "password_policy" {\n  default = "strict9"\n}\n'
     'variable "db_password" {\n  default = "prod/db/password"\n}', []),
    ("keyring.set_password('myapp', user, pw)\nsetx TOKEN_TTL 3600\nsetx PASSWORD_FILE C:\\pw.txt", []),
    ("password = r'C:\\Users\\Public'\nPASSWORD: wymagane\nopenssl enc -k stdin -in a\n"
     "openssl enc -k env:PASS -in a", []),
    # From the ninth tester: what the exclusions must not hide.
    ("POSTGRES_PASSWORD: postgres\nUsername: admin\nPassword: admin", [("postgres", P), ("admin", P)]),
    ('{"password": "Sun-kissed"} password: Rsa2019 DB_PASSWORD="Well-dressed"',
     [("Sun-kissed", P), ("Rsa2019", P), ("Well-dressed", P)]),
    ("gpg --batch --passphrase 'purple monkey dishwasher' -c x; my password 'Sunshine!' stopped",
     [("purple monkey dishwasher", P), ("Sunshine!", P)]),
    ('password: New-York2024; ds.setPassword("Xk9#mP2qLw", true); context.put("password", "Hunter2024!")',
     [("New-York2024", P), ("Xk9#mP2qLw", P), ("Hunter2024!", P)]),
    ("Use Tr0ub4dor&3 as the password (case-sensitive). Use Gr33nTea_42 as the SSH password.",
     [("Tr0ub4dor&3", P), ("Gr33nTea_42", P)]),
    ("wifi password \"blue sky over paris\"\nssh-keygen -t ed25519 -N 'purple monkey dishwasher' -f id",
     [("blue sky over paris", P), ("purple monkey dishwasher", P)]),
    ('--password -Xk92!ab\npassword: Summer2024:\n{"password": "\\\\Xk9#2mP"}',
     [("-Xk92!ab", P), ("Summer2024:", P), ("\\\\Xk9#2mP", P)]),
    ("Use Tr0ub4dor&3 as the password going forward.\nsetx DB_PWD_PRIMARY Xk9mP2qLw7",
     [("Tr0ub4dor&3", P), ("Xk9mP2qLw7", P)]),
    ('setx DB_PASSWORD_PROD "Tr0ub4dor&3xy"; password: ^7gKq!2zR$',
     [("Tr0ub4dor&3xy", P), ("^7gKq!2zR$", P)]),
    # Certificates, CSRs and public keys in base64 are public; a private key's body is not.
    ("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
     "RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n-----END CERTIFICATE-----\n"
     "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
     "tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lF", []),
    ("define('DB_PASSWORD', 'correcthorsebattery'); map.put(\"password\", \"correcthorsebattery\");",
     [("correcthorsebattery", P), ("correcthorsebattery", P)]),
    ("Hasło to bluefalcon77. Heslo je Sonne2024! كلمة المرور: Gr33nTea_42 kata sandi: Pw-2024-x",
     [("bluefalcon77", P), ("Sonne2024!", P), ("Gr33nTea_42", P), ("Pw-2024-x", P)]),
    ("the password to Server2024 is in the vault", []),
    # From the tenth tester: chat in other languages (a name, a few words, a copula or a colon).
    ("le mot de passe du wifi c'est maison1234. Das Passwort fürs WLAN ist schnitzel99",
     [("maison1234", P), ("schnitzel99", P)]),
    ("la clave del wifi es casaverde77. Salasanani on Kesä2024. пароль от wi-fi: 12345qwerty",
     [("casaverde77", P), ("Kesä2024", P), ("12345qwerty", P)]),
    ("הסיסמה שלי היא Shalom2024. Ο κωδικός μου είναι Akropoli2024. パスワード「Sakura2024」",
     [("Shalom2024", P), ("Akropoli2024", P), ("Sakura2024", P)]),
    ("build passed in 38m35s, artifact sha256:4180fd14add2d7bc4d8b92e3; Password:\\n(required)", []),
    # No copula: the value right after the name, when it holds letters and digits.
    ("Şifrem Galata2024. Мой пароль Медведь2024. mot de passe Soleil2024",
     [("Galata2024", P), ("Медведь2024", P), ("Soleil2024", P)]),
    ("пароль 123456 слишком простой; пароль изменён вчера; Das Passwort wurde 2024 geändert", []),
    # Aligned by `terraform fmt`; a key after its name in prose.
    ('password     = "Gx7!pLm2qR9s"\nTwilio account SID AC1, auth token 425fda0516d0ac090d3a05d8b40c449e',
     [("Gx7!pLm2qR9s", P), ("425fda0516d0ac090d3a05d8b40c449e", K)]),
    ("token limit 4096 tokens per minute", []),
    ("Das Passwort ist jetzt Sonne2024! Le mot de passe est maintenant Soleil2024!",
     [("Sonne2024!", P), ("Soleil2024!", P)]),
    # An SSH public key is public by design; the same base64 alone is key material.
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bob@laptop", []),
    ("blob AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
     [("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", K)]),
    # URL-safe base64 under a key name.
    ("FERNET_KEY=ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
     [("ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=", K)]),
    # After the code-and-configs tester: fallbacks, defaults, typed names, keys without a
    # password word, SQL literals, secret keys set to plain words.
    ("const pw = process.env.DB_PASSWORD || 'Spring2025!'; DB_PASS = env('DB_PASSWORD', 'hunter2')",
     [("Spring2025!", P), ("hunter2", P)]),
    ('pw = os.environ.get("DB_PASSWORD") or "letmein99"\n    db_password: str = "changeme"',
     [("letmein99", P), ("changeme", P)]),
    ('const JWT_SECRET: &str = "Welcome1"; var password string = "Welcome2"',
     [("Welcome1", P), ("Welcome2", P)]),
    ('parser.add_argument("--password", default="Welcome1")', [("Welcome1", P)]),
    ("requirepass Sup3rS3cret!\nmasterauth Sup3rS3cret!\nredis-server --requirepass foobared99",
     [("Sup3rS3cret!", P), ("Sup3rS3cret!", P), ("foobared99", P)]),
    ('psk="correcthorse99"\nwpa_psk=correcthorse99\nRABBITMQ_ERLANG_COOKIE=ZXJsYW5nY29va2ll',
     [("correcthorse99", P), ("correcthorse99", P), ("ZXJsYW5nY29va2ll", P)]),
    ("SECRET_KEY = 'dragon'; ALTER ROLE app WITH PASSWORD 'changeme'; CREATE USER bob PASSWORD 'sunshine';",
     [("dragon", K), ("changeme", P), ("sunshine", P)]),
    # Code that is no value: a comparison with a variable, a keyword, a manual's sample.
    ("if user.password == hashed:\nconst secret = await sm.getSecretValue(p)\n"
     "ALTER USER name WITH PASSWORD 'new_password'; the password || 'x' operator", []),
    # Passwords passed by position, and in commands or protocol lines without a password word.
    ('conn.simple_bind_s("cn=admin,dc=corp", "passw0rd"); jwt.encode(payload, "Password123", alg="HS2")',
     [("passw0rd", P), ("Password123", P)]),
    ("smtp.PlainAuth(\"\", \"admin@corp.com\", \"Spring2025!\", h); new Sequelize('a','u','P@ssw0rd', {})",
     [("Spring2025!", P), ("P@ssw0rd", P)]),
    ('c = Credentials::new("user".to_string(), "hunter22".to_string()); r.execute_command("AUTH", "Spr1ng!")',
     [("hunter22", P), ("Spr1ng!", P)]),
    (" username admin privilege 15 password 0 sunshine\n  key-string 7 0822455D0A16\n"
     "snmp-server community s3cr3tcomm RO\nsnmp-server community public RO",
     [("sunshine", P), ("0822455D0A16", P), ("s3cr3tcomm", P)]),
    ("rabbitmqctl add_user deploy Spring2025!\necho Spr1ng2025 | sudo -S apt update\n"
     'gh secret set DB_PASS --body "Spr2025x"\na1 LOGIN alice Sp2025!\nAUTH PLAIN AGFsaWNlAFNwcmluZzIwMjUh',
     [("Spring2025!", P), ("Spr1ng2025", P), ("Spr2025x", P), ("Sp2025!", P),
      ("AGFsaWNlAFNwcmluZzIwMjUh", P)]),
    # httpie's `-a user:password` (after `http`/`https` only); an Azure DevOps PAT standing alone
    ("http -a alice:S3cr3tPass! POST api.example.com/items\nhttp -v -a admin:hunter2x :8080/api",
     [("S3cr3tPass!", P), ("hunter2x", P)]),
    ("az devops login <<< 5x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua",
     [("5x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua", "API_KEY")]),
    ("tar -a x:y f.tgz; see https -a docs; abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz; "
     "2x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6uaabcd.onion", []),
    # A header's name and value as a call's two arguments; nginx/Apache header directives.
    ('.header("DD-API-KEY", "cc11977a38f1542948bb7e0c900d4f8e")\nmap.put("db_password", "Winter2024!")',
     [("cc11977a38f1542948bb7e0c900d4f8e", "API_KEY"), ("Winter2024!", P)]),
    ('new AuthenticationHeaderValue("Bearer", "tBWKUsG3Y_QXlgQXMwr43KGonRGGTHKCkK6422fl3cEXAmc7")',
     [("tBWKUsG3Y_QXlgQXMwr43KGonRGGTHKCkK6422fl3cEXAmc7", "API_KEY")]),
    ('proxy_set_header Authorization "Basic YXBpX3J3OnN1bnNoaW5lMQ==";\n'
     'RequestHeader set X-Api-Key "k9Xq2LmP8vRt4ZwY"',
     [("YXBpX3J3OnN1bnNoaW5lMQ==", "API_KEY"), ("k9Xq2LmP8vRt4ZwY", "API_KEY")]),
    ('h.set("Content-Type", "application/json"); m.put("monkey", "banana12345678")\n'
     'h.set("X-Token", "${TOKEN}"); os.getenv("API_KEY", "default"); t("key", "value")\n'
     'proxy_set_header Host $host; add_header X-Frame "DENY1234"', []),
    # WordPress's aligned define(), a `*` inside a flag's value, a weak word with bangs.
    ("define( 'DB_PASSWORD',      'Xk9#mPq2vL!w' );\nkeytool -list -storepass QzhrHaoy-W*8C=iMtcUt91",
     [("Xk9#mPq2vL!w", P), ("QzhrHaoy-W*8C=iMtcUt91", P)]),
    # A word with bangs under a password name is a UI's message as often (`Password: good!`).
    ('Password: changed!\nPassword: good!\nm.put("monkey", "banana12345678"); zip -P **** out.zip', []),
    ("DEPLOYER_KEY=d47ff55d384f9aa047303358d8d06edb868b915cc66c80a1fa911faf162c1384",
     [("d47ff55d384f9aa047303358d8d06edb868b915cc66c80a1fa911faf162c1384", "API_KEY")]),
    # By position to more calls: JavaMail, pymysql, ftplib, Ruby's Net::FTP, Twilio's Ruby client.
    ('new PasswordAuthentication("alerts@acme.io", "Qcjj6h7Zuw411o");\n'
     "pymysql.connect('db', 'root', 'zebraPiano27', 'orders')\nFTP('ftp.acme.io', 'airflow', 'Q9Pc*m=mQ')\n"
     "Net::FTP.open('ftp.acme.io', 'dbadmin', 'Autumn2021')\nTwilio::REST::Client.new('AC1', 'c27c1e58e980')",
     [("Qcjj6h7Zuw411o", P), ("zebraPiano27", P), ("Q9Pc*m=mQ", P), ("Autumn2021", P), ("c27c1e58e980", P)]),
    ('sftp(host, user, "x1234"); FTP("a", "b"); ftp.login(user, passwd); xFTP(h, u, "Sec9ret!")', []),
    ('FTP("ftp.gnu.org", "anonymous", "anonymous@")\n'
     '.header("X-Request-Token", "7f3c9a12-4be1-4d7a-9c55-0e2b6f8d1a34")\n'
     '.header("Idempotency-Key", "550e8400-e29b-41d4-a716-446655440000"); t("password", "Password:")', []),
    ("net use Z: \\\\fs01\\finance Qwerty!23 /user:ACME\\rw\nnet use * \\\\fs01\\x /user:bob Pa55word!\n"
     "mosquitto_pub -h b -u web -P Jan2024!! -t t", [("Qwerty!23", P), ("Pa55word!", P), ("Jan2024!!", P)]),
    ("net use Z: \\\\fs01\\finance /persistent:yes\nnet use Z: /delete\nnet use P: \\\\srv\\share 2>nul", []),
    # A base32 SHA-256 digest after a hash's name or in a checksum line is no PAT.
    ("sha256: 5x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua\n"
     "2x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua  release-1.2.tar.gz", []),
    ('# /etc/pgbouncer/userlist.txt\n"app" "md5d70b4908037f86322201b12763a25b04"\n"admin" "tigerFalcon79"\n'
     '"ro" "SCRAM-SHA-256$4096:fKdG5gUIq6ondKC7skRrKw==$6w1q:vDFB"', [("tigerFalcon79", P)]),
    ('"name" "value"\n"alice" "bob"', []),  # quoted pairs without a PgBouncer auth file around
    # A chat's account list and login lines; a default account's user:password in a sentence.
    ("Accounts:\n- Jenkins: ci-bot / +k4*ysnvOLSEXB9PwGg+\nOffice WiFi: AcmeGuest / Company@123\n"
     "staging creds -> postgres / mOk97DVX*%VL8NvG*c&",
     [("+k4*ysnvOLSEXB9PwGg+", P), ("Company@123", P), ("mOk97DVX*%VL8NvG*c&", P)]),
    ("login with dbadmin and $^qG4U8LdF=UGfcD5xdkYL\nthe router? admin:Maple-3551! works",
     [("$^qG4U8LdF=UGfcD5xdkYL", P), ("Maple-3551!", P)]),
    ("Status: open / Closed-2024\nPath: src / main.py\nlogin with Google and Facebook\n"
     "Time admin:10:30 and root:x:0:0:root\nsee /admin:settings and admin:8080", []),
    ("Repo: acme / web-app#1234\nEnv: staging / k8s@eu-west-1b\nReviewer: bob / PR#4412-rebased\n"
     "RBAC role admin:Read+Write2 grants it\nauth=OAuth2[scope:read],openid\n"
     "http://minio:9000/objects?key=logs/AWSLogs/221107453379/us-east-1/2024/x.gz", []),
    ("Build: debug / Release-x64\nPlatforms: Linux / macOS-14\nadded login with Google and GitHub.\n"
     "image: postgres:16-alpine\nFROM ubuntu:focal-20240123\nadmin:v2-beta", []),
    # A generated password's `<`, `,`, `;`, `)` inside an unquoted value that ends its line.
    ("ssh_pass=2Ja}$!k%<STnqf-g<G\npassword: Xy7$kq(9]Lm,3;Pz\nPWD=Tundra!2024;",
     [("2Ja}$!k%<STnqf-g<G", P), ("Xy7$kq(9]Lm,3;Pz", P), ("Tundra!2024", P)]),
    ("web01 ansible_ssh_pass=2Ja}$!k%<STnqf-g<G ansible_become_pass=x\n    password: q6`p$}5P-F%:74]G~<\n"
     "spring.datasource.password=WeOa1`Zc^%c{@a4C|gO:\nldap_bind_password = lc=$Z>CEA>b-{<",
     [("2Ja}$!k%<STnqf-g<G", P), ("q6`p$}5P-F%:74]G~<", P), ("WeOa1`Zc^%c{@a4C|gO:", P),
      ("lc=$Z>CEA>b-{<", P)]),
    ('"username=jdoe&password=lvM2,^^<^C.%C2(x&remember=1"', [("lvM2,^^<^C.%C2(x", P)]),
    # A URL's `?key=` / `&key=`: an API key in any alphabet (hex too), not a word or an id.
    ("https://maps.example.com/geocode/json?address=x&key=34a4f5b2c9d8e7f6a5b4c3d2e1f0a9b8",
     [("34a4f5b2c9d8e7f6a5b4c3d2e1f0a9b8", "API_KEY")]),
    ("https://example.com/search?key=value&page=2 and ?key=id&sort=asc and ?key=customer_name_asc", []),
    ('echo "mD&_js$,_3A!:V,.[+" | docker login --password-stdin -u bob registry.io',
     [("mD&_js$,_3A!:V,.[+", P)]),
    ("masterauth admin123\nrequirepass foobared", [("admin123", P), ("foobared", P)]),  # redis.conf
    # Make's `?=`, a value a symbol starts, `kubectl describe`'s aligned column, `history` numbers,
    # a session cookie set by a call.
    ('DOCKER_PASS ?= Xk9fLq2mZaa\n{"password": "}yc-bUf8|,4F}hw="}\n    REDIS_PASSWORD:          Xk9fLq2mZ\n'
     "  541  openssl enc -aes-256-cbc -k TOthDzm9qLx -in a\n"
     'new Cookie("_session_id", "qjwhm9x2kq8v7zt3pl5r", "/")',
     [("Xk9fLq2mZaa", P), ("}yc-bUf8|,4F}hw=", P), ("Xk9fLq2mZ", P), ("TOthDzm9qLx", P),
      ("qjwhm9x2kq8v7zt3pl5r", "API_KEY")]),
    ('x.put("session_timeout", "30m"); log("session", "started ok 123")', []),
    ("the password 0 times; LAST LOGIN FROM 10.0.0.1; the key 7 of 10", []),
    ("250-AUTH PLAIN LOGIN CRAM-MD5\nprogram.option('--password', 'The password to use')\n"
     "cfg.get('auth', 'token_url')\nparser.add_argument('--password', '-p', help='x')", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_passwords(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


_KEY_NAMES = [
    ("password", P), ("DB_PASSWORD", P), ("passwd", P), ("pwd", P), ("secret", P), ("client_secret", P),
    ("webhook_secret", P), ("token", K), ("access_token", K), ("refresh_token", K), ("auth_token", K),
    ("api_key", K), ("apiKey", K), ("api-key", K), ("private_key", K), ("signing_key", K),
    ("encryption_key", K), ("session_id", K), ("sessionid", K), ("credentials", K),
]  # fmt: skip
_FORMATS = [
    "{k}={v}", 'export {k}="{v}"', '{{"{k}": "{v}"}}', '{{"cfg": {{"{k}": "{v}"}}}}', "{k}: {v}\n",
    "  {k}: '{v}'", "{k} = \"{v}\"", "--{k}={v}", "--{k} {v}", "<{k}>{v}</{k}>", "{k} := {v}",
    "'{k}' => '{v}',", "Server=db;{k}={v};", "?user=a&{k}={v}&x=1",
]  # fmt: skip


@given(
    name=st.sampled_from(_KEY_NAMES),
    fmt=st.sampled_from(_FORMATS),
    value=st.text(alphabet=string.ascii_letters + string.digits, min_size=12, max_size=40).filter(
        lambda v: any(c.isdigit() for c in v) and any(c.isalpha() for c in v) and len(set(v)) >= 6
    ),
)
@settings(max_examples=300, deadline=None)
def test_random_secrets_under_secret_names_are_always_found(
    name: tuple[str, str], fmt: str, value: str
) -> None:
    key, kind = name
    if fmt.startswith("--"):
        key = key.lower().replace("_", "-")
    text = fmt.format(k=key, v=value)
    assert (value, kind) in _found(text), text
    assert value not in redaction.scrub(text).text


_PROSE_IS = ["the password is {v}", "le mot de passe est {v}", "das Passwort ist {v}", "La contraseña es {v}",
              "a senha é {v}", "la password è {v}", "htpasswd -b .htpasswd bob {v}", "htpasswd -nb bob {v}",
              "clé API={v}", "API-Schlüssel: {v}", "clave de API: {v}"]  # fmt: skip


@given(
    fmt=st.sampled_from(_PROSE_IS),
    value=st.text(alphabet=string.ascii_letters + string.digits + "#$!%*", min_size=10, max_size=24).filter(
        lambda v: (
            any(c.isdigit() for c in v)
            and any(c.isalpha() for c in v)
            and v[0].isalnum()
            and len(set(v)) >= 6
        )
    ),
)
@settings(max_examples=200, deadline=None)
def test_secrets_in_prose_and_commands_of_any_language_are_dropped(fmt: str, value: str) -> None:
    text = fmt.format(v=value) + " ok"
    assert value not in redaction.scrub(text).text, text


def test_an_armoured_key_under_a_secret_name_keeps_its_kind() -> None:
    body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
    pem = f"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----"
    text = f'{{"type": "service_account", "private_key": "{pem}\\n", "client_email": "x"}}'
    assert _found(text) == []  # the private-key detector's, whole
    scrubbed = redaction.scrub(text).text
    assert '"private_key": "[REDACTED:PRIVATE_KEY]' in scrubbed
    assert "MIIEvQ" not in scrubbed


def test_scrub_keeps_the_field_name() -> None:
    text = "Server=tcp:db;User ID=report_ro;Password=Tundra-maple-quartz26;Encrypt=True;"
    scrubbed = redaction.scrub(text).text
    assert scrubbed == "Server=tcp:db;User ID=report_ro;Password=[REDACTED:PASSWORD];Encrypt=True;"


@pytest.mark.parametrize(
    "unit",
    ["password=", "password: ", 'password="', "password=\"a", "token=\"a", "pass", "key", "api_key=",
     "password is ", "--password ", "<password>", "login a password ", "password a\n", "-u a:", "mysql ",
     "mysql -p", "(\"", "=", ":", "a", "htpasswd -b ", "htpasswd ", "-b a ", "clé API=", "api ",
     "api-schlüssel", "contraseña es ",
     # From the seventh tester: `aws` inside one long run of key characters read the run per anchor.
     "aws", "awsX", "use a as the password ", 'login("a", ', 'variable "x_password" { default = "a" '],
)  # fmt: skip
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # Escaped line breaks (a JSON string): the value is its line, the escapes stay whole.
        ('"log": "Password:\\nTr0ub4dor3\\nNext step: restart nginx"',
         '"log": "Password:\\n[REDACTED:PASSWORD]\\nNext step: restart nginx"'),
        ('{"text": "Password:\\nGr33nTea_42"}', '{"text": "Password:\\n[REDACTED:PASSWORD]"}'),
        ('"pgpass": "db:5432:a:b:pw1x\\ndb2:5432:a:b:pw2y"',
         '"pgpass": "db:5432:a:b:[REDACTED:PASSWORD]\\ndb2:5432:a:b:[REDACTED:PASSWORD]"'),
    ],
)  # fmt: skip
def test_escaped_line_breaks_end_a_value(text: str, scrubbed: str) -> None:
    assert redaction.scrub(text).text == scrubbed


@pytest.mark.parametrize("size", [300, 1_000, 3_000, 9_000])
@pytest.mark.parametrize(
    "fmt", ["password={v}", '"secret": "{v}"', "api_key: {v}", "    client-key-data: {v}\n", "token: {v}"]
)
def test_long_values_are_dropped_whole(fmt: str, size: int) -> None:
    # A pattern caps its value's length; a long secret (a kubeconfig's key, a service token)
    # must not leave its tail after the cap in the clear.
    rng = random.Random(size)
    value = base64.b64encode(bytes(rng.randrange(256) for _ in range(size * 3 // 4))).decode()
    out = redaction.scrub(fmt.format(v=value)).text
    assert "[REDACTED:" in out
    assert not any(value[i : i + 12] in out for i in range(0, len(value) - 12, 6))
