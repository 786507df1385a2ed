// The shop's HTTP API, same origin (/api/*), the session in an HttpOnly cookie.


import type { components } from "./api.gen";

// The API's answers, as docs/openapi.json describes them: generated from it by openapi-typescript
// (`make openapi`; the unit tests fail while web/src/api.gen.ts differs from a fresh generation),
// so a change in a service's Rust types reaches the web client's types.
type Schemas = components["schemas"];

export type Profile = Schemas["Account"];
export type Wallet = Schemas["WalletView"];
export type Level = Schemas["Availability"];
export type StoreLevel = Schemas["StoreAvailability"];
export type Card = Schemas["Card"];
export type SearchPage = Schemas["SearchPage"];
export type Category = Schemas["CategoryCount"];
export type ProductPage = Schemas["ProductPage"];
export type CartLine = Schemas["CartLine"];
export type DeliveryChoice = Schemas["DeliveryChoice"];
export type Cart = Schemas["CartView"];
export type OrderLine = Schemas["PlacedLine"];
export type PlacedOrder = Schemas["PlacedView"];
export type WalletEntry = Schemas["HistoryEntry"];
export type OrderSummary = Schemas["OrderInList"];
export type Payment = Schemas["PaymentView"];
export type SavedCard = Schemas["SavedCard"];
export type PickupPoint = Schemas["PickupPoint"];
export type Courier = Schemas["Courier"];
export type DeliveryWindow = Schemas["WindowOffer"];
export type Quote = Schemas["QuoteView"];
export type GiftCard = Schemas["CardView"];
export type PushDevices = Schemas["Devices"];
export type PushDevice = Schemas["Device"];
export type NotificationPreferences = Schemas["PreferencesView"];
export type SsoProvider = Schemas["ProviderView"];
export type SsoPending = Schemas["PendingView"];
export type SignInWays = Schemas["SignInWays"];
export type SignedOn = Schemas["SignedOn"];
export type ChannelChange = { kind: Schemas["NoticeKind"]; channel: Schemas["Channel"]; on: boolean };

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    // The names a message is worded with, e.g. {city: "Тверь"}.
    public details: Record<string, string> = {},
  ) {
    super(message);
  }
}

// What people read for each error code the services send (the API's own messages are English).
const MESSAGES: Record<string, string> = {
  missing_fields: "Заполните логин, пароль и e-mail",
  invalid_username: "Логин: от 3 до 32 символов — латинские буквы, цифры, точка, «_» или «-»",
  invalid_email: "Проверьте адрес электронной почты",
  invalid_amount: "Укажите сумму целым числом рублей в допустимых пределах",
  invalid_design: "Выберите дизайн открытки",
  invalid_recipient_name: "Укажите имя получателя (до 100 символов)",
  method_not_allowed: "Этот способ оплаты здесь недоступен",
  invalid_phone: "Проверьте номер телефона, например +7 999 123-45-67",
  weak_password: "Пароль: от 8 символов, хотя бы одна буква и одна цифра",
  invalid_name: "Имя и фамилия — не длиннее 100 символов",
  user_exists: "Пользователь с таким логином или e-mail уже существует",
  user_not_found: "Пользователь с таким логином не найден",
  unauthorized: "Неверный логин или пароль",
  too_many_attempts: "Слишком много неудачных попыток входа. Попробуйте через 15 минут",
  current_password_required: "Чтобы сменить e-mail, введите текущий пароль",
  wrong_password: "Неверный текущий пароль",
  email_taken: "Этот e-mail уже занят другим пользователем",
  profile_changed: "Данные изменились в другой вкладке — обновите страницу",
  wallet_not_found: "Кошелёк ещё открывается — обновите страницу через пару секунд",
  invalid_json: "Некорректный запрос",
  body_too_large: "Слишком длинные данные",
  query_too_long: "Слишком длинный запрос — сократите его",
  invalid_page: "Такой страницы нет",
  product_not_found: "Такого товара нет в каталоге",
  invalid_quantity: "Количество — от 1 до 99",
  quantity_too_high: "В корзине помещается не больше 99 штук одного товара",
  cart_full: "В корзине уже 50 разных товаров",
  not_in_cart: "Этого товара уже нет в корзине",
  product_unavailable: "Товара нет в наличии ни в одном магазине",
  cart_busy: "Корзина меняется в другой вкладке — попробуйте ещё раз",
  index_not_ready: "Каталог обновляется, повторите через несколько секунд",
  missing_code: "Введите код активации",
  gift_card_not_found: "Карта с таким кодом не найдена — проверьте код",
  gift_card_taken: "Эта карта уже активирована другим клиентом",
  too_many_codes: "Слишком много неверных кодов. Попробуйте через 15 минут",
  unknown_courier: "Выберите курьерскую компанию из списка",
  invalid_address: "Укажите адрес полностью: город, улица, дом",
  city_not_served: "В город «{city}» курьеры пока не возят: выберите пункт выдачи",
  courier_not_in_city: "{courier} не доставляет в город «{city}»: выберите другую компанию",
  cart_empty: "Корзина пуста: добавьте товары, чтобы оформить заказ",
  invalid_delivery: "Выберите доставку курьером или пункт выдачи из списка",
  quote_not_found: "Стоимость доставки не найдена: узнайте её ещё раз",
  quote_expired: "Стоимость доставки устарела: узнайте её ещё раз",
  slot_taken: "Это время доставки уже заняли: выберите другое",
  courier_refused: "Эта служба доставки не возьмёт заказ по этому адресу: выберите другую или пункт выдачи",
  courier_unavailable: "Служба доставки сейчас не отвечает: попробуйте ещё раз или выберите другую",
  delivery_not_chosen: "Выберите способ доставки",
  cart_has_unavailable: "В корзине есть товары, которых нет в наличии: уберите их",
  out_of_stock: "Пока вы оформляли заказ, закончилось: {products}. Уменьшите количество или уберите это из корзины",
  order_not_found: "Такого заказа нет",
  order_not_payable: "Этот заказ уже нельзя оплатить",
  order_not_editable: "Этот заказ нельзя вернуть в корзину: он оплачен, а подарочная карта и пополнение кошелька меняются в своей форме",
  order_not_cancellable: "Этот заказ нельзя отменить: неоплаченный заказ можно вернуть в корзину, а оплаченные подарочная карта и пополнение кошелька уже зачислены",
  order_already_paid: "Заказ уже оплачен",
  payment_in_progress: "Этот платёж уже подтверждается: подождите несколько секунд",
  insufficient_funds: "Недостаточно средств для оплаты заказа",
  card_expired: "Срок действия карты истёк",
  "3d_secure_failed": "Платёж не подтверждён кодом из SMS (3-D Secure)",
  fraud_suspected: "Банк отклонил платёж из соображений безопасности",
  payment_expired: "Время на оплату истекло",
  authorization_expired: "Банк снял блокировку денег: оплата не завершена вовремя",
  payment_declined: "Банк отклонил платёж",
  payment_cancelled: "Платёж отменён",
  payment_not_confirmable: "Этот платёж уже нельзя подтвердить: попробуйте оплатить еще раз",
  not_confirmed_in_time: "«Оплатить» не была нажата вовремя: банк снял блокировку денег. Попробуйте оплатить еще раз",
  payment_unavailable: "Банк не отвечает. Попробуйте ещё раз — дважды деньги не спишутся",
  payment_not_found: "Такого платежа нет",
  card_not_found: "Карта не найдена среди ваших карт",
  refund_declined: "Банк не вернул деньги: мы уже разбираемся и вернём их",
  not_a_push_service: "Этот браузер выдал адрес, на который магазин не отправляет уведомления",
  invalid_push_keys: "Браузер выдал неверные ключи подписки: попробуйте ещё раз",
  too_many_devices: "Уведомления включены уже на 10 устройствах: отключите их на одном из них",
  channel_required: "Результат оплаты и коды подарочных карт всегда приходят на e-mail",
  channel_not_offered: "Такие сообщения этим способом не отправляются",
  invalid_unsubscribe_token: "Ссылка для отписки повреждена: выберите, какие письма получать, в «Личный кабинет» → «Уведомления»",
  preferences_busy: "Настройки меняются в другой вкладке: попробуйте ещё раз",
  sso_expired: "Вход через провайдера устарел: начните его ещё раз",
  not_linkable: "Связать этот вход можно только с учётной записью, у которой тот же подтверждённый e-mail",
  identity_linked: "Этот вход уже привязан к другому клиенту",
  provider_already_linked: "К учётной записи уже привязан другой вход через этого провайдера",
  identity_not_linked: "Этот провайдер не привязан к вашей учётной записи",
  last_way_in: "Это единственный способ войти: сначала задайте пароль",
  provider_unavailable: "Провайдер сейчас недоступен. Попробуйте позже",
  invalid_return_to: "Некорректный адрес возврата",
  unknown_provider: "Такого провайдера нет",
};

// Why the single sign-on's callback sent the browser back (`?sso=<code>`), in Russian.
export const SSO_OUTCOMES: Record<string, string> = {
  state_expired: "Время входа истекло, или вход начат в другом окне. Попробуйте ещё раз",
  provider_refused: "Провайдер отказал во входе",
  sso_failed: "Не удалось войти через провайдера: его ответ не прошёл проверку. Попробуйте ещё раз",
  provider_unavailable: "Провайдер сейчас недоступен. Попробуйте позже",
  email_unverified: "Учётная запись с этим e-mail уже есть, а провайдер не подтвердил адрес. Войдите по паролю и привяжите вход в «Личном кабинете»",
  linked_to_another: "Этот вход уже привязан к другому клиенту",
  provider_already_linked: "К вашей учётной записи уже привязан другой вход через этого провайдера: сначала отвяжите его",
  linked: "Вход через провайдера привязан",
};

/// A message's {name} placeholders filled from the error's details.
function worded(template: string, details: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => details[name] ?? all);
}

export function humanMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const template = MESSAGES[e.code];
    if (template !== undefined) return worded(template, e.details);
    return e.status >= 500 ? "Сервис временно недоступен, попробуйте позже" : e.message;
  }
  return "Нет связи с магазином, проверьте подключение";
}

async function request<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  const text = await resp.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!resp.ok) {
    // API Gateway's own refusals (no or bad session) come as {"message": ...}.
    const code = data?.error?.code ?? (resp.status === 401 || resp.status === 403 ? "unauthorized" : "http_" + resp.status);
    throw new ApiError(resp.status, code, data?.error?.message ?? data?.message ?? resp.statusText, data?.error?.details ?? {});
  }
  return data as T;
}

export const api = {
  register: (form: Record<string, string>) => request<Profile>("POST", "/register", form),
  login: (username: string, password: string) => request<Profile>("POST", "/login", { username, password }),
  logout: () => request<unknown>("POST", "/logout"),
  logoutEverywhere: () => request<unknown>("POST", "/logout/all"),
  auth: () => request<Profile>("GET", "/auth"),
  me: () => request<Profile>("GET", "/me"),
  updateMe: (changes: Partial<Profile> & { currentPassword?: string }) => request<Profile>("PUT", "/me", changes),
  wallet: () => request<Wallet>("GET", "/wallet"),
  search: (q: string, page: number, category?: string) => {
    const params = new URLSearchParams({ q, page: String(page) });
    if (category) params.set("category", category);
    return request<SearchPage>("GET", `/products?${params}`);
  },
  categories: () => request<{ categories: Category[] }>("GET", "/categories"),
  cart: () => request<Cart>("GET", "/cart"),
  addToCart: (productId: string, quantity = 1) => request<Cart>("POST", "/cart/items", { productId, quantity }),
  setQuantity: (productId: string, quantity: number) =>
    request<Cart>("PATCH", `/cart/items/${encodeURIComponent(productId)}`, { quantity }),
  removeFromCart: (productId: string) => request<Cart>("DELETE", `/cart/items/${encodeURIComponent(productId)}`),
  deliveryOptions: () => request<{ pickupPoints: PickupPoint[]; couriers: Courier[] }>("GET", "/delivery/options"),
  quote: (courierId: string, address: string) => request<Quote>("POST", "/delivery/quote", { courierId, address }),
  setDelivery: (choice: { method: "pickup"; pickupPointId: string } | { method: "courier"; quoteId: string; slotId?: string }) =>
    request<Cart>("PUT", "/cart/delivery", choice),
  activateGiftCard: (code: string) => request<GiftCard>("POST", "/gift-cards/activate", { code }),
  giftCards: () => request<{ giftCards: GiftCard[] }>("GET", "/gift-cards"),
  product: (id: string) => request<ProductPage>("GET", `/products/${encodeURIComponent(id)}`),
  placeOrder: () => request<PlacedOrder>("POST", "/orders"),
  orders: () => request<{ orders: OrderSummary[] }>("GET", "/orders"),
  order: (id: string) => request<PlacedOrder>("GET", `/orders/${encodeURIComponent(id)}`),
  backToCart: (id: string) => request<Cart>("POST", `/orders/${encodeURIComponent(id)}/cart`),
  walletHistory: () => request<{ entries: WalletEntry[] }>("GET", "/wallet/history"),
  // The same key for the same form: a double click or a retry is one order.
  buyGiftCard: (key: string, form: { recipientName: string; recipientEmail: string; amount: number; design: string }) =>
    request<PlacedOrder>("POST", "/gift-card-orders", form, { "idempotency-key": key }),
  topUp: (key: string, amount: number) => request<PlacedOrder>("POST", "/top-up-orders", { amount }, { "idempotency-key": key }),
  cancelOrder: (id: string) => request<PlacedOrder>("POST", `/orders/${encodeURIComponent(id)}/cancel`),
  // The key makes a repeated press (or a retry after a lost answer) the same payment.
  startPayment: (key: string, orderId: string, method: Payment["method"], saveCard = false, cardId?: string) =>
    request<Payment>("POST", "/payments", { orderId, method, saveCard, cardId }, { "idempotency-key": key }),
  paymentMethods: () => request<{ cards: SavedCard[] }>("GET", "/payment-methods"),
  payment: (id: string) => request<Payment>("GET", `/payments/${encodeURIComponent(id)}`),
  confirmPayment: (id: string) => request<Payment>("POST", `/payments/${encodeURIComponent(id)}/confirm`),
  notificationPreferences: () => request<NotificationPreferences>("GET", "/notifications/preferences"),
  chooseChannels: (changes: ChannelChange[]) => request<NotificationPreferences>("PUT", "/notifications/preferences", { changes }),
  unsubscribe: (token: string) => request<{ kind: Schemas["NoticeKind"] }>("POST", `/notifications/unsubscribe?token=${encodeURIComponent(token)}`),
  ssoProviders: () => request<SsoProvider[]>("GET", "/sso/providers"),
  ssoPending: () => request<SsoPending>("GET", "/sso/pending"),
  ssoRegister: (form: Record<string, string>) => request<SignedOn>("POST", "/sso/register", form),
  ssoLink: (password: string) => request<SignedOn>("POST", "/sso/link", { password }),
  signInWays: () => request<SignInWays>("GET", "/me/identities"),
  ssoUnlink: (provider: string) => request<unknown>("DELETE", `/me/identities/${encodeURIComponent(provider)}`),
  pushDevices: () => request<PushDevices>("GET", "/push/subscriptions"),
  pushSubscribe: (subscription: PushSubscriptionJSON) => request<PushDevice>("POST", "/push/subscriptions", subscription),
  pushUnsubscribe: (id: string) => request<unknown>("DELETE", `/push/subscriptions/${encodeURIComponent(id)}`),
};
