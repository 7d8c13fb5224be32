package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldTest {

    /** Plain digits up to 100 integer digits or 100 decimals, scientific notation past them. */
    @ParameterizedTest(name = "{0} -> scientific {1}")
    @CsvSource({"1e99, false", "1e100, true", "1e-100, false", "1e-101, true", "12.5, false"})
    void decimalsArePlainUpToAHundredDigits(String value, boolean scientific) {
        BigDecimal decimal = new BigDecimal(value);
        String text = Field.decimalText(decimal);
        assertThat(text.contains("E")).isEqualTo(scientific);
        assertThat(new BigDecimal(text)).isEqualByComparingTo(decimal);
    }
}
