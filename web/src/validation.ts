// The same rules as auth's domain (functions/auth/src/domain/registration.rs), so that the
// form can say what is wrong before sending; the server checks again.

export type Errors = Partial<Record<string, string>>;

export function validateUsername(v: string): string | undefined {
  if (!v.trim()) return "Введите логин";
  if (!/^[A-Za-z0-9._-]{3,32}$/.test(v.trim())) return "От 3 до 32 символов: латинские буквы, цифры, «.», «_» или «-»";
}

export function validatePassword(v: string): string | undefined {
  if (!v) return "Введите пароль";
  const len = [...v].length;
  if (len < 8 || len > 128) return "Пароль — от 8 до 128 символов";
  if (!/\p{L}/u.test(v) || !/[0-9]/.test(v)) return "Пароль должен содержать букву и цифру";
}

export function validateEmail(v: string): string | undefined {
  const t = v.trim();
  if (!t) return "Введите e-mail";
  if (t.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(t)) return "Проверьте адрес: например, ivan@mail.ru";
}

export function validatePhone(v: string, required: boolean): string | undefined {
  const t = v.trim();
  if (!t) return required ? "Введите номер телефона" : undefined;
  if (!/^\+?[0-9 ()-]+$/.test(t)) return "Только цифры, пробелы, скобки и дефисы";
  const digits = t.replace(/\D/g, "");
  if (digits.length < 10 || digits.length > 15) return "Номер — от 10 до 15 цифр, например +7 999 123-45-67";
}

export function validateName(v: string, required: boolean): string | undefined {
  if (required && !v.trim()) return "Введите имя";
  if ([...v].length > 100) return "Не длиннее 100 символов";
}
