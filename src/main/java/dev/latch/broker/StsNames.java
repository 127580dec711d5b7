package dev.latch.broker;

/**
 * Names STS accepts: RoleSessionName and SourceIdentity are 2-64 of [\w+=,.@-] and must not start
 * with "aws:"; replacing every other character (the colon included) keeps both rules.
 */
final class StsNames {

    private StsNames() {
    }

    static String sourceIdentity(String username) {
        StringBuilder out = new StringBuilder();
        for (char c : (username == null ? "" : username).toCharArray()) {
            out.append(Character.isLetterOrDigit(c) && c < 128 || "_+=,.@-".indexOf(c) >= 0 ? c : '_');
        }
        String name = out.toString();
        if (name.length() < 2) {
            name = (name + "__").substring(0, 2);
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** Session tag values: up to 256 of [\p{L}\p{Z}\p{N}_.:/=+\-@]. */
    static String tagValue(String value) {
        String clean = (value == null ? "" : value).replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return clean.length() > 256 ? clean.substring(0, 256) : clean;
    }
}
