-- kcmap 0003: priority communes (mountainous / disadvantaged) that raise the underserved rank.
CREATE TABLE commune_priority (
    edition     text NOT NULL DEFAULT 'legacy' CHECK (edition = 'legacy'),
    code        text NOT NULL,
    note        text,
    source_file text,
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (edition, code),
    FOREIGN KEY (edition, code) REFERENCES admin_unit (edition, code) ON DELETE CASCADE
);
