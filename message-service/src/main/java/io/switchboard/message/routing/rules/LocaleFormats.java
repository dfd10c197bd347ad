package io.switchboard.message.routing.rules;

import com.ibm.icu.text.RelativeDateTimeFormatter;
import com.ibm.icu.util.ULocale;
import com.samskivert.mustache.Mustache;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sections that format what they enclose for the recipient's locale, as a person there writes it:
 * <ul>
 *   <li>{@code {{#number}}{{payload.amount}}{{/number}}}: 12,000 (en), 12.000 (de);</li>
 *   <li>{@code {{#currency}}{{payload.amount}} {{payload.currency}}{{/currency}}}, an amount and an
 *       ISO 4217 code in either order: $12,000.00 (en-US, USD), 12.000,00 € (de, EUR);</li>
 *   <li>{@code {{#date}}…{{/date}}}, {@code {{#time}}…{{/time}}}, {@code {{#datetime}}…{{/datetime}}}
 *       over an ISO-8601 instant ({@code occurredAt}), offset date-time or date: Nov 27, 2026 (en),
 *       27.11.2026 (de); times in UTC, which they say;</li>
 *   <li>{@code {{#relative}}…{{/relative}}}, an instant against the moment of rendering: "in 3 days",
 *       "vor 2 Stunden".</li>
 * </ul>
 * What a section cannot read (not a number, not a date) is written as it is: a template never
 * fails over a value's shape. The recipient's locale is their profile's; without one, the root
 * locale's neutral forms. In a button's url ({@link #forUrls}) a section's result is
 * percent-encoded like every value there: "12 000" in French must not break the link.
 */
public final class LocaleFormats {

    private static final Pattern CURRENCY_CODE = Pattern.compile("\\b([A-Z]{3})\\b");
    private static final Pattern AMOUNT = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");
    /** Fraction digits a number keeps, at most: enough for rates and measures, not for noise. */
    private static final int MAX_FRACTION_DIGITS = 6;

    private LocaleFormats() {
    }

    /** The sections for text, for {@code languageTag} (null: no locale known), relative times measured from {@code now}. */
    public static Map<String, Mustache.Lambda> of(String languageTag, Instant now) {
        return sections(languageTag, now, Codec.TEXT);
    }

    /** The sections for a url template ({@link Templates#url}), whose values arrive percent-encoded. */
    static Map<String, Mustache.Lambda> forUrls(String languageTag, Instant now) {
        return sections(languageTag, now, Codec.URL);
    }

    private static Map<String, Mustache.Lambda> sections(String languageTag, Instant now, Codec codec) {
        Locale locale = languageTag == null ? Locale.ROOT : Locale.forLanguageTag(languageTag);
        return Map.of(
                "number", section(codec, text -> number(text, locale)),
                "currency", section(codec, text -> currency(text, locale)),
                "date", section(codec, text -> temporal(text, locale, DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM), false)),
                "time", section(codec, text -> temporal(text, locale, DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT), true)),
                "datetime", section(codec, text -> temporal(text, locale,
                        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT), true)),
                "relative", section(codec, text -> relative(text, locale, now)));
    }

    private interface Format {
        Optional<String> apply(String text);
    }

    /** How a template's values are written: as they are (text), or percent-encoded (a button's url). */
    private enum Codec {
        TEXT {
            String decode(String rendered) {
                return rendered;
            }

            String encode(String value) {
                return value;
            }
        },
        URL {
            String decode(String rendered) {
                try {
                    return URLDecoder.decode(rendered, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return rendered;   // a literal '%' of the template itself: read as written
                }
            }

            String encode(String value) {
                return Templates.percentEncoded(value);
            }
        };

        abstract String decode(String rendered);

        abstract String encode(String value);
    }

    /**
     * Renders the section's content, then writes it formatted, or as it is when it cannot be. In a
     * url the content arrives encoded: it is read decoded and written encoded again.
     */
    private static Mustache.Lambda section(Codec codec, Format format) {
        return (fragment, out) -> {
            String rendered = fragment.execute().strip();
            Optional<String> formatted = format.apply(codec.decode(rendered));
            out.write(formatted.map(codec::encode).orElse(rendered));
        };
    }

    static Optional<String> number(String text, Locale locale) {
        return decimal(text).map(value -> {
            NumberFormat format = NumberFormat.getNumberInstance(locale);
            format.setMaximumFractionDigits(MAX_FRACTION_DIGITS);
            return format.format(value);
        });
    }

    static Optional<String> currency(String text, Locale locale) {
        Matcher code = CURRENCY_CODE.matcher(text);
        Matcher amount = AMOUNT.matcher(text);
        if (!code.find() || !amount.find()) {
            return Optional.empty();
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code.group(1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        return Optional.of(format.format(new BigDecimal(amount.group())));
    }

    private static Optional<String> temporal(String text, Locale locale, DateTimeFormatter style, boolean hasTime) {
        DateTimeFormatter format = style.withLocale(locale).withZone(ZoneOffset.UTC);
        Optional<Instant> instant = instant(text);
        if (instant.isPresent()) {
            return Optional.of(format.format(instant.get()) + (hasTime ? " UTC" : ""));
        }
        if (!hasTime) {
            try {
                return Optional.of(format.format(LocalDate.parse(text)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Optional<String> relative(String text, Locale locale, Instant now) {
        return instant(text).map(then -> {
            Duration offset = Duration.between(now, then);
            long seconds = Math.abs(offset.toSeconds());
            RelativeDateTimeFormatter.RelativeDateTimeUnit unit;
            double amount;
            if (seconds < 60) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.SECOND;
                amount = seconds;
            } else if (seconds < 3_600) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.MINUTE;
                amount = seconds / 60;
            } else if (seconds < 86_400) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.HOUR;
                amount = seconds / 3_600;
            } else if (seconds < 7 * 86_400) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.DAY;
                amount = seconds / 86_400;
            } else if (seconds < 30 * 86_400) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.WEEK;
                amount = seconds / (7 * 86_400);
            } else if (seconds < 365 * 86_400) {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.MONTH;
                amount = seconds / (30 * 86_400);
            } else {
                unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.YEAR;
                amount = seconds / (365 * 86_400);
            }
            return RelativeDateTimeFormatter.getInstance(ULocale.forLocale(locale))
                    .formatNumeric(offset.isNegative() ? -amount : amount, unit);
        });
    }

    private static Optional<BigDecimal> decimal(String text) {
        if (!AMOUNT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(text));
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException notADateTime) {
                return Optional.empty();
            }
        }
    }
}
